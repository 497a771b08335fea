/* Generated from schemas/ by `make codegen`. Do not edit by hand. */
// @ts-nocheck
"use strict";
const server_book_ready = validate20;
const schema31 = {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"type":{"const":"book_ready"},"id":{"type":"string","format":"uuid"},"timestamp":{"type":"string","format":"date-time"},"seq":{"type":"integer","minimum":1,"maximum":9007199254740991},"payload":{"$ref":"#/$defs/BookReadyPayload"}},"required":["type","id","timestamp","payload"],"additionalProperties":false,"$defs":{"BookReadyPayload":{"type":"object","properties":{"book_id":{"type":"string","format":"uuid"},"title":{"type":"string","minLength":1,"maxLength":500},"total_pages":{"type":"integer","minimum":1,"maximum":9007199254740991},"url":{"type":"string","format":"uri","maxLength":2048,"pattern":"^(?:[Hh][Tt][Tt][Pp][Ss]?|[Hh][Aa][Ii][Ll][Aa][Nn][Gg][Oo]):"}},"required":["book_id","title","total_pages"],"additionalProperties":false}}};
const schema32 = {"type":"object","properties":{"book_id":{"type":"string","format":"uuid"},"title":{"type":"string","minLength":1,"maxLength":500},"total_pages":{"type":"integer","minimum":1,"maximum":9007199254740991},"url":{"type":"string","format":"uri","maxLength":2048,"pattern":"^(?:[Hh][Tt][Tt][Pp][Ss]?|[Hh][Aa][Ii][Ll][Aa][Nn][Gg][Oo]):"}},"required":["book_id","title","total_pages"],"additionalProperties":false};
const formats0 = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;
const formats2 = /^(?!0000)(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)[Tt](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?(?:[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$/;
const formats6 = /^[A-Za-z][A-Za-z0-9+\-.]*:(?:\/\/(?:(?:[A-Za-z0-9\-._~!$&'()*+,;=:]|%[0-9A-Fa-f][0-9A-Fa-f])*@)?(?:\[(?:(?:(?:[0-9A-Fa-f]{1,4}:){6}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))|::(?:[0-9A-Fa-f]{1,4}:){5}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))|(?:[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){4}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))|(?:(?:[0-9A-Fa-f]{1,4}:){0,1}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){3}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))|(?:(?:[0-9A-Fa-f]{1,4}:){0,2}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:){2}(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))|(?:(?:[0-9A-Fa-f]{1,4}:){0,3}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4}:(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))|(?:(?:[0-9A-Fa-f]{1,4}:){0,4}[0-9A-Fa-f]{1,4})?::(?:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}|(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9]))|(?:(?:[0-9A-Fa-f]{1,4}:){0,5}[0-9A-Fa-f]{1,4})?::[0-9A-Fa-f]{1,4}|(?:(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4})?::)|v[0-9A-Fa-f]+\.[A-Za-z0-9\-._~!$&'()*+,;=:]+)\]|(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f][0-9A-Fa-f])*)(?::[0-9]*)?(?:\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f][0-9A-Fa-f])*)*|\/(?:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f][0-9A-Fa-f])+(?:\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f][0-9A-Fa-f])*)*)?|(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f][0-9A-Fa-f])+(?:\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f][0-9A-Fa-f])*)*|)(?:\?(?:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f][0-9A-Fa-f])|[/?])*)?(?:#(?:(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f][0-9A-Fa-f])|[/?])*)?$/;
function func1(str) {
  let length = 0;
  for (let pos = 0; pos < str.length; length += 1) {
    const code = str.charCodeAt(pos++);
    if (code >= 0xd800 && code <= 0xdbff && pos < str.length && (str.charCodeAt(pos) & 0xfc00) === 0xdc00) pos++;
  }
  return length;
}
const pattern4 = new RegExp("^(?:[Hh][Tt][Tt][Pp][Ss]?|[Hh][Aa][Ii][Ll][Aa][Nn][Gg][Oo]):", "u");

function validate20(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate20.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if(((((data.type === undefined) && (missing0 = "type")) || ((data.id === undefined) && (missing0 = "id"))) || ((data.timestamp === undefined) && (missing0 = "timestamp"))) || ((data.payload === undefined) && (missing0 = "payload"))){
validate20.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!(((((key0 === "type") || (key0 === "id")) || (key0 === "timestamp")) || (key0 === "seq")) || (key0 === "payload"))){
validate20.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.type !== undefined){
const _errs2 = errors;
if("book_ready" !== data.type){
validate20.errors = [{instancePath:instancePath+"/type",schemaPath:"#/properties/type/const",keyword:"const",params:{allowedValue: "book_ready"},message:"must be equal to constant"}];
return false;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.id !== undefined){
let data1 = data.id;
const _errs3 = errors;
if(errors === _errs3){
if(errors === _errs3){
if(typeof data1 === "string"){
if(!(formats0.test(data1))){
validate20.errors = [{instancePath:instancePath+"/id",schemaPath:"#/properties/id/format",keyword:"format",params:{format: "uuid"},message:"must match format \""+"uuid"+"\""}];
return false;
}
}
else {
validate20.errors = [{instancePath:instancePath+"/id",schemaPath:"#/properties/id/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.timestamp !== undefined){
let data2 = data.timestamp;
const _errs5 = errors;
if(errors === _errs5){
if(errors === _errs5){
if(typeof data2 === "string"){
if(!(formats2.test(data2))){
validate20.errors = [{instancePath:instancePath+"/timestamp",schemaPath:"#/properties/timestamp/format",keyword:"format",params:{format: "date-time"},message:"must match format \""+"date-time"+"\""}];
return false;
}
}
else {
validate20.errors = [{instancePath:instancePath+"/timestamp",schemaPath:"#/properties/timestamp/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid0 = _errs5 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.seq !== undefined){
let data3 = data.seq;
const _errs7 = errors;
if(!((typeof data3 == "number") && (!(data3 % 1) && !isNaN(data3)))){
validate20.errors = [{instancePath:instancePath+"/seq",schemaPath:"#/properties/seq/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs7){
if(typeof data3 == "number"){
if(data3 > 9007199254740991 || isNaN(data3)){
validate20.errors = [{instancePath:instancePath+"/seq",schemaPath:"#/properties/seq/maximum",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991},message:"must be <= 9007199254740991"}];
return false;
}
else {
if(data3 < 1 || isNaN(data3)){
validate20.errors = [{instancePath:instancePath+"/seq",schemaPath:"#/properties/seq/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"}];
return false;
}
}
}
}
var valid0 = _errs7 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.payload !== undefined){
let data4 = data.payload;
const _errs9 = errors;
const _errs10 = errors;
if(errors === _errs10){
if(data4 && typeof data4 == "object" && !Array.isArray(data4)){
let missing1;
if((((data4.book_id === undefined) && (missing1 = "book_id")) || ((data4.title === undefined) && (missing1 = "title"))) || ((data4.total_pages === undefined) && (missing1 = "total_pages"))){
validate20.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/BookReadyPayload/required",keyword:"required",params:{missingProperty: missing1},message:"must have required property '"+missing1+"'"}];
return false;
}
else {
const _errs12 = errors;
for(const key1 in data4){
if(!((((key1 === "book_id") || (key1 === "title")) || (key1 === "total_pages")) || (key1 === "url"))){
validate20.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/BookReadyPayload/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs12 === errors){
if(data4.book_id !== undefined){
let data5 = data4.book_id;
const _errs13 = errors;
if(errors === _errs13){
if(errors === _errs13){
if(typeof data5 === "string"){
if(!(formats0.test(data5))){
validate20.errors = [{instancePath:instancePath+"/payload/book_id",schemaPath:"#/$defs/BookReadyPayload/properties/book_id/format",keyword:"format",params:{format: "uuid"},message:"must match format \""+"uuid"+"\""}];
return false;
}
}
else {
validate20.errors = [{instancePath:instancePath+"/payload/book_id",schemaPath:"#/$defs/BookReadyPayload/properties/book_id/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid2 = _errs13 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data4.title !== undefined){
let data6 = data4.title;
const _errs15 = errors;
if(errors === _errs15){
if(typeof data6 === "string"){
if(func1(data6) > 500){
validate20.errors = [{instancePath:instancePath+"/payload/title",schemaPath:"#/$defs/BookReadyPayload/properties/title/maxLength",keyword:"maxLength",params:{limit: 500},message:"must NOT have more than 500 characters"}];
return false;
}
else {
if(func1(data6) < 1){
validate20.errors = [{instancePath:instancePath+"/payload/title",schemaPath:"#/$defs/BookReadyPayload/properties/title/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"}];
return false;
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/payload/title",schemaPath:"#/$defs/BookReadyPayload/properties/title/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid2 = _errs15 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data4.total_pages !== undefined){
let data7 = data4.total_pages;
const _errs17 = errors;
if(!((typeof data7 == "number") && (!(data7 % 1) && !isNaN(data7)))){
validate20.errors = [{instancePath:instancePath+"/payload/total_pages",schemaPath:"#/$defs/BookReadyPayload/properties/total_pages/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs17){
if(typeof data7 == "number"){
if(data7 > 9007199254740991 || isNaN(data7)){
validate20.errors = [{instancePath:instancePath+"/payload/total_pages",schemaPath:"#/$defs/BookReadyPayload/properties/total_pages/maximum",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991},message:"must be <= 9007199254740991"}];
return false;
}
else {
if(data7 < 1 || isNaN(data7)){
validate20.errors = [{instancePath:instancePath+"/payload/total_pages",schemaPath:"#/$defs/BookReadyPayload/properties/total_pages/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"}];
return false;
}
}
}
}
var valid2 = _errs17 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data4.url !== undefined){
let data8 = data4.url;
const _errs19 = errors;
if(errors === _errs19){
if(errors === _errs19){
if(typeof data8 === "string"){
if(func1(data8) > 2048){
validate20.errors = [{instancePath:instancePath+"/payload/url",schemaPath:"#/$defs/BookReadyPayload/properties/url/maxLength",keyword:"maxLength",params:{limit: 2048},message:"must NOT have more than 2048 characters"}];
return false;
}
else {
if(!pattern4.test(data8)){
validate20.errors = [{instancePath:instancePath+"/payload/url",schemaPath:"#/$defs/BookReadyPayload/properties/url/pattern",keyword:"pattern",params:{pattern: "^(?:[Hh][Tt][Tt][Pp][Ss]?|[Hh][Aa][Ii][Ll][Aa][Nn][Gg][Oo]):"},message:"must match pattern \""+"^(?:[Hh][Tt][Tt][Pp][Ss]?|[Hh][Aa][Ii][Ll][Aa][Nn][Gg][Oo]):"+"\""}];
return false;
}
else {
if(!(formats6.test(data8))){
validate20.errors = [{instancePath:instancePath+"/payload/url",schemaPath:"#/$defs/BookReadyPayload/properties/url/format",keyword:"format",params:{format: "uri"},message:"must match format \""+"uri"+"\""}];
return false;
}
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/payload/url",schemaPath:"#/$defs/BookReadyPayload/properties/url/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid2 = _errs19 === errors;
}
else {
var valid2 = true;
}
}
}
}
}
}
}
else {
validate20.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/BookReadyPayload/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs9 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
}
}
else {
validate20.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate20.errors = vErrors;
return errors === 0;
}
validate20.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const server_connection_established = validate21;
const schema33 = {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"type":{"const":"connection_established"},"id":{"type":"string","format":"uuid"},"timestamp":{"type":"string","format":"date-time"},"payload":{"$ref":"#/$defs/ConnectionEstablishedPayload"}},"required":["type","id","timestamp","payload"],"additionalProperties":false,"$defs":{"ConnectionEstablishedPayload":{"type":"object","properties":{"connection_id":{"type":"string","format":"uuid"},"user_id":{"type":"string","format":"uuid"},"server_time":{"type":"string","format":"date-time"},"ping_interval_seconds":{"type":"number","exclusiveMinimum":0},"idle_timeout_seconds":{"type":"number","exclusiveMinimum":0},"max_message_bytes":{"type":"integer","minimum":1,"maximum":9007199254740991},"token_expires_at":{"type":"string","format":"date-time"},"epoch":{"type":"string","minLength":1,"maxLength":64},"last_seq":{"type":"integer","minimum":0,"maximum":9007199254740991},"recovered":{"type":"boolean"},"acked_seq":{"type":"integer","minimum":0,"maximum":9007199254740991},"read_seq":{"type":"integer","minimum":0,"maximum":9007199254740991}},"required":["connection_id","user_id","server_time","ping_interval_seconds","idle_timeout_seconds","max_message_bytes","token_expires_at","epoch","last_seq","recovered","acked_seq","read_seq"],"additionalProperties":false}}};
const schema34 = {"type":"object","properties":{"connection_id":{"type":"string","format":"uuid"},"user_id":{"type":"string","format":"uuid"},"server_time":{"type":"string","format":"date-time"},"ping_interval_seconds":{"type":"number","exclusiveMinimum":0},"idle_timeout_seconds":{"type":"number","exclusiveMinimum":0},"max_message_bytes":{"type":"integer","minimum":1,"maximum":9007199254740991},"token_expires_at":{"type":"string","format":"date-time"},"epoch":{"type":"string","minLength":1,"maxLength":64},"last_seq":{"type":"integer","minimum":0,"maximum":9007199254740991},"recovered":{"type":"boolean"},"acked_seq":{"type":"integer","minimum":0,"maximum":9007199254740991},"read_seq":{"type":"integer","minimum":0,"maximum":9007199254740991}},"required":["connection_id","user_id","server_time","ping_interval_seconds","idle_timeout_seconds","max_message_bytes","token_expires_at","epoch","last_seq","recovered","acked_seq","read_seq"],"additionalProperties":false};
const func4 = Object.prototype.hasOwnProperty;

function validate21(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate21.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if(((((data.type === undefined) && (missing0 = "type")) || ((data.id === undefined) && (missing0 = "id"))) || ((data.timestamp === undefined) && (missing0 = "timestamp"))) || ((data.payload === undefined) && (missing0 = "payload"))){
validate21.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!((((key0 === "type") || (key0 === "id")) || (key0 === "timestamp")) || (key0 === "payload"))){
validate21.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.type !== undefined){
const _errs2 = errors;
if("connection_established" !== data.type){
validate21.errors = [{instancePath:instancePath+"/type",schemaPath:"#/properties/type/const",keyword:"const",params:{allowedValue: "connection_established"},message:"must be equal to constant"}];
return false;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.id !== undefined){
let data1 = data.id;
const _errs3 = errors;
if(errors === _errs3){
if(errors === _errs3){
if(typeof data1 === "string"){
if(!(formats0.test(data1))){
validate21.errors = [{instancePath:instancePath+"/id",schemaPath:"#/properties/id/format",keyword:"format",params:{format: "uuid"},message:"must match format \""+"uuid"+"\""}];
return false;
}
}
else {
validate21.errors = [{instancePath:instancePath+"/id",schemaPath:"#/properties/id/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.timestamp !== undefined){
let data2 = data.timestamp;
const _errs5 = errors;
if(errors === _errs5){
if(errors === _errs5){
if(typeof data2 === "string"){
if(!(formats2.test(data2))){
validate21.errors = [{instancePath:instancePath+"/timestamp",schemaPath:"#/properties/timestamp/format",keyword:"format",params:{format: "date-time"},message:"must match format \""+"date-time"+"\""}];
return false;
}
}
else {
validate21.errors = [{instancePath:instancePath+"/timestamp",schemaPath:"#/properties/timestamp/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid0 = _errs5 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.payload !== undefined){
let data3 = data.payload;
const _errs7 = errors;
const _errs8 = errors;
if(errors === _errs8){
if(data3 && typeof data3 == "object" && !Array.isArray(data3)){
let missing1;
if(((((((((((((data3.connection_id === undefined) && (missing1 = "connection_id")) || ((data3.user_id === undefined) && (missing1 = "user_id"))) || ((data3.server_time === undefined) && (missing1 = "server_time"))) || ((data3.ping_interval_seconds === undefined) && (missing1 = "ping_interval_seconds"))) || ((data3.idle_timeout_seconds === undefined) && (missing1 = "idle_timeout_seconds"))) || ((data3.max_message_bytes === undefined) && (missing1 = "max_message_bytes"))) || ((data3.token_expires_at === undefined) && (missing1 = "token_expires_at"))) || ((data3.epoch === undefined) && (missing1 = "epoch"))) || ((data3.last_seq === undefined) && (missing1 = "last_seq"))) || ((data3.recovered === undefined) && (missing1 = "recovered"))) || ((data3.acked_seq === undefined) && (missing1 = "acked_seq"))) || ((data3.read_seq === undefined) && (missing1 = "read_seq"))){
validate21.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/ConnectionEstablishedPayload/required",keyword:"required",params:{missingProperty: missing1},message:"must have required property '"+missing1+"'"}];
return false;
}
else {
const _errs10 = errors;
for(const key1 in data3){
if(!(func4.call(schema34.properties, key1))){
validate21.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/ConnectionEstablishedPayload/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs10 === errors){
if(data3.connection_id !== undefined){
let data4 = data3.connection_id;
const _errs11 = errors;
if(errors === _errs11){
if(errors === _errs11){
if(typeof data4 === "string"){
if(!(formats0.test(data4))){
validate21.errors = [{instancePath:instancePath+"/payload/connection_id",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/connection_id/format",keyword:"format",params:{format: "uuid"},message:"must match format \""+"uuid"+"\""}];
return false;
}
}
else {
validate21.errors = [{instancePath:instancePath+"/payload/connection_id",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/connection_id/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid2 = _errs11 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data3.user_id !== undefined){
let data5 = data3.user_id;
const _errs13 = errors;
if(errors === _errs13){
if(errors === _errs13){
if(typeof data5 === "string"){
if(!(formats0.test(data5))){
validate21.errors = [{instancePath:instancePath+"/payload/user_id",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/user_id/format",keyword:"format",params:{format: "uuid"},message:"must match format \""+"uuid"+"\""}];
return false;
}
}
else {
validate21.errors = [{instancePath:instancePath+"/payload/user_id",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/user_id/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid2 = _errs13 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data3.server_time !== undefined){
let data6 = data3.server_time;
const _errs15 = errors;
if(errors === _errs15){
if(errors === _errs15){
if(typeof data6 === "string"){
if(!(formats2.test(data6))){
validate21.errors = [{instancePath:instancePath+"/payload/server_time",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/server_time/format",keyword:"format",params:{format: "date-time"},message:"must match format \""+"date-time"+"\""}];
return false;
}
}
else {
validate21.errors = [{instancePath:instancePath+"/payload/server_time",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/server_time/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid2 = _errs15 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data3.ping_interval_seconds !== undefined){
let data7 = data3.ping_interval_seconds;
const _errs17 = errors;
if(errors === _errs17){
if(typeof data7 == "number"){
if(data7 <= 0 || isNaN(data7)){
validate21.errors = [{instancePath:instancePath+"/payload/ping_interval_seconds",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/ping_interval_seconds/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0"}];
return false;
}
}
else {
validate21.errors = [{instancePath:instancePath+"/payload/ping_interval_seconds",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/ping_interval_seconds/type",keyword:"type",params:{type: "number"},message:"must be number"}];
return false;
}
}
var valid2 = _errs17 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data3.idle_timeout_seconds !== undefined){
let data8 = data3.idle_timeout_seconds;
const _errs19 = errors;
if(errors === _errs19){
if(typeof data8 == "number"){
if(data8 <= 0 || isNaN(data8)){
validate21.errors = [{instancePath:instancePath+"/payload/idle_timeout_seconds",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/idle_timeout_seconds/exclusiveMinimum",keyword:"exclusiveMinimum",params:{comparison: ">", limit: 0},message:"must be > 0"}];
return false;
}
}
else {
validate21.errors = [{instancePath:instancePath+"/payload/idle_timeout_seconds",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/idle_timeout_seconds/type",keyword:"type",params:{type: "number"},message:"must be number"}];
return false;
}
}
var valid2 = _errs19 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data3.max_message_bytes !== undefined){
let data9 = data3.max_message_bytes;
const _errs21 = errors;
if(!((typeof data9 == "number") && (!(data9 % 1) && !isNaN(data9)))){
validate21.errors = [{instancePath:instancePath+"/payload/max_message_bytes",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/max_message_bytes/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs21){
if(typeof data9 == "number"){
if(data9 > 9007199254740991 || isNaN(data9)){
validate21.errors = [{instancePath:instancePath+"/payload/max_message_bytes",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/max_message_bytes/maximum",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991},message:"must be <= 9007199254740991"}];
return false;
}
else {
if(data9 < 1 || isNaN(data9)){
validate21.errors = [{instancePath:instancePath+"/payload/max_message_bytes",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/max_message_bytes/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"}];
return false;
}
}
}
}
var valid2 = _errs21 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data3.token_expires_at !== undefined){
let data10 = data3.token_expires_at;
const _errs23 = errors;
if(errors === _errs23){
if(errors === _errs23){
if(typeof data10 === "string"){
if(!(formats2.test(data10))){
validate21.errors = [{instancePath:instancePath+"/payload/token_expires_at",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/token_expires_at/format",keyword:"format",params:{format: "date-time"},message:"must match format \""+"date-time"+"\""}];
return false;
}
}
else {
validate21.errors = [{instancePath:instancePath+"/payload/token_expires_at",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/token_expires_at/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid2 = _errs23 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data3.epoch !== undefined){
let data11 = data3.epoch;
const _errs25 = errors;
if(errors === _errs25){
if(typeof data11 === "string"){
if(func1(data11) > 64){
validate21.errors = [{instancePath:instancePath+"/payload/epoch",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/epoch/maxLength",keyword:"maxLength",params:{limit: 64},message:"must NOT have more than 64 characters"}];
return false;
}
else {
if(func1(data11) < 1){
validate21.errors = [{instancePath:instancePath+"/payload/epoch",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/epoch/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"}];
return false;
}
}
}
else {
validate21.errors = [{instancePath:instancePath+"/payload/epoch",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/epoch/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid2 = _errs25 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data3.last_seq !== undefined){
let data12 = data3.last_seq;
const _errs27 = errors;
if(!((typeof data12 == "number") && (!(data12 % 1) && !isNaN(data12)))){
validate21.errors = [{instancePath:instancePath+"/payload/last_seq",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/last_seq/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs27){
if(typeof data12 == "number"){
if(data12 > 9007199254740991 || isNaN(data12)){
validate21.errors = [{instancePath:instancePath+"/payload/last_seq",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/last_seq/maximum",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991},message:"must be <= 9007199254740991"}];
return false;
}
else {
if(data12 < 0 || isNaN(data12)){
validate21.errors = [{instancePath:instancePath+"/payload/last_seq",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/last_seq/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"}];
return false;
}
}
}
}
var valid2 = _errs27 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data3.recovered !== undefined){
const _errs29 = errors;
if(typeof data3.recovered !== "boolean"){
validate21.errors = [{instancePath:instancePath+"/payload/recovered",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/recovered/type",keyword:"type",params:{type: "boolean"},message:"must be boolean"}];
return false;
}
var valid2 = _errs29 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data3.acked_seq !== undefined){
let data14 = data3.acked_seq;
const _errs31 = errors;
if(!((typeof data14 == "number") && (!(data14 % 1) && !isNaN(data14)))){
validate21.errors = [{instancePath:instancePath+"/payload/acked_seq",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/acked_seq/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs31){
if(typeof data14 == "number"){
if(data14 > 9007199254740991 || isNaN(data14)){
validate21.errors = [{instancePath:instancePath+"/payload/acked_seq",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/acked_seq/maximum",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991},message:"must be <= 9007199254740991"}];
return false;
}
else {
if(data14 < 0 || isNaN(data14)){
validate21.errors = [{instancePath:instancePath+"/payload/acked_seq",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/acked_seq/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"}];
return false;
}
}
}
}
var valid2 = _errs31 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data3.read_seq !== undefined){
let data15 = data3.read_seq;
const _errs33 = errors;
if(!((typeof data15 == "number") && (!(data15 % 1) && !isNaN(data15)))){
validate21.errors = [{instancePath:instancePath+"/payload/read_seq",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/read_seq/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs33){
if(typeof data15 == "number"){
if(data15 > 9007199254740991 || isNaN(data15)){
validate21.errors = [{instancePath:instancePath+"/payload/read_seq",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/read_seq/maximum",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991},message:"must be <= 9007199254740991"}];
return false;
}
else {
if(data15 < 0 || isNaN(data15)){
validate21.errors = [{instancePath:instancePath+"/payload/read_seq",schemaPath:"#/$defs/ConnectionEstablishedPayload/properties/read_seq/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"}];
return false;
}
}
}
}
var valid2 = _errs33 === errors;
}
else {
var valid2 = true;
}
}
}
}
}
}
}
}
}
}
}
}
}
}
}
else {
validate21.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/ConnectionEstablishedPayload/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs7 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
}
else {
validate21.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate21.errors = vErrors;
return errors === 0;
}
validate21.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const server_error = validate22;
const schema35 = {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"type":{"const":"error"},"id":{"type":"string","format":"uuid"},"timestamp":{"type":"string","format":"date-time"},"payload":{"$ref":"#/$defs/ErrorPayload"}},"required":["type","id","timestamp","payload"],"additionalProperties":false,"$defs":{"ErrorPayload":{"type":"object","properties":{"code":{"$ref":"../protocol/error_codes.json"},"message":{"type":"string"},"details":{"type":"object","additionalProperties":true}},"required":["code","message"],"additionalProperties":false}}};
const schema36 = {"type":"object","properties":{"code":{"$ref":"../protocol/error_codes.json"},"message":{"type":"string"},"details":{"type":"object","additionalProperties":true}},"required":["code","message"],"additionalProperties":false};
const schema37 = {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"string","enum":["invalid_json","invalid_message","unknown_type","message_too_large","rate_limited","internal"]};

function validate23(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate23.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if(((data.code === undefined) && (missing0 = "code")) || ((data.message === undefined) && (missing0 = "message"))){
validate23.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!(((key0 === "code") || (key0 === "message")) || (key0 === "details"))){
validate23.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.code !== undefined){
let data0 = data.code;
const _errs2 = errors;
if(typeof data0 !== "string"){
validate23.errors = [{instancePath:instancePath+"/code",schemaPath:"../protocol/error_codes.json/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
if(!((((((data0 === "invalid_json") || (data0 === "invalid_message")) || (data0 === "unknown_type")) || (data0 === "message_too_large")) || (data0 === "rate_limited")) || (data0 === "internal"))){
validate23.errors = [{instancePath:instancePath+"/code",schemaPath:"../protocol/error_codes.json/enum",keyword:"enum",params:{allowedValues: schema37.enum},message:"must be equal to one of the allowed values"}];
return false;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.message !== undefined){
const _errs5 = errors;
if(typeof data.message !== "string"){
validate23.errors = [{instancePath:instancePath+"/message",schemaPath:"#/properties/message/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
var valid0 = _errs5 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.details !== undefined){
let data2 = data.details;
const _errs7 = errors;
if(errors === _errs7){
if(data2 && typeof data2 == "object" && !Array.isArray(data2)){
}
else {
validate23.errors = [{instancePath:instancePath+"/details",schemaPath:"#/properties/details/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs7 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
else {
validate23.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate23.errors = vErrors;
return errors === 0;
}
validate23.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};


function validate22(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate22.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if(((((data.type === undefined) && (missing0 = "type")) || ((data.id === undefined) && (missing0 = "id"))) || ((data.timestamp === undefined) && (missing0 = "timestamp"))) || ((data.payload === undefined) && (missing0 = "payload"))){
validate22.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!((((key0 === "type") || (key0 === "id")) || (key0 === "timestamp")) || (key0 === "payload"))){
validate22.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.type !== undefined){
const _errs2 = errors;
if("error" !== data.type){
validate22.errors = [{instancePath:instancePath+"/type",schemaPath:"#/properties/type/const",keyword:"const",params:{allowedValue: "error"},message:"must be equal to constant"}];
return false;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.id !== undefined){
let data1 = data.id;
const _errs3 = errors;
if(errors === _errs3){
if(errors === _errs3){
if(typeof data1 === "string"){
if(!(formats0.test(data1))){
validate22.errors = [{instancePath:instancePath+"/id",schemaPath:"#/properties/id/format",keyword:"format",params:{format: "uuid"},message:"must match format \""+"uuid"+"\""}];
return false;
}
}
else {
validate22.errors = [{instancePath:instancePath+"/id",schemaPath:"#/properties/id/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.timestamp !== undefined){
let data2 = data.timestamp;
const _errs5 = errors;
if(errors === _errs5){
if(errors === _errs5){
if(typeof data2 === "string"){
if(!(formats2.test(data2))){
validate22.errors = [{instancePath:instancePath+"/timestamp",schemaPath:"#/properties/timestamp/format",keyword:"format",params:{format: "date-time"},message:"must match format \""+"date-time"+"\""}];
return false;
}
}
else {
validate22.errors = [{instancePath:instancePath+"/timestamp",schemaPath:"#/properties/timestamp/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid0 = _errs5 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.payload !== undefined){
const _errs7 = errors;
if(!(validate23(data.payload, {instancePath:instancePath+"/payload",parentData:data,parentDataProperty:"payload",rootData,dynamicAnchors}))){
vErrors = vErrors === null ? validate23.errors : vErrors.concat(validate23.errors);
errors = vErrors.length;
}
var valid0 = _errs7 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
}
else {
validate22.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate22.errors = vErrors;
return errors === 0;
}
validate22.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const server_learning_update = validate25;
const schema38 = {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"type":{"const":"learning_update"},"id":{"type":"string","format":"uuid"},"timestamp":{"type":"string","format":"date-time"},"seq":{"type":"integer","minimum":1,"maximum":9007199254740991},"payload":{"$ref":"#/$defs/LearningUpdatePayload"}},"required":["type","id","timestamp","payload"],"additionalProperties":false,"$defs":{"LearningUpdatePayload":{"type":"object","properties":{"session_id":{"type":"string","format":"uuid"},"book_id":{"type":"string","format":"uuid"},"words_learned":{"type":"integer","minimum":0,"maximum":9007199254740991},"pages_read":{"type":"integer","minimum":0,"maximum":9007199254740991},"study_seconds":{"type":"integer","minimum":0,"maximum":9007199254740991},"accuracy":{"type":"number","minimum":0,"maximum":1},"streak_days":{"type":"integer","minimum":0,"maximum":9007199254740991}},"required":["session_id","words_learned","pages_read","study_seconds","accuracy","streak_days"],"additionalProperties":false}}};
const schema39 = {"type":"object","properties":{"session_id":{"type":"string","format":"uuid"},"book_id":{"type":"string","format":"uuid"},"words_learned":{"type":"integer","minimum":0,"maximum":9007199254740991},"pages_read":{"type":"integer","minimum":0,"maximum":9007199254740991},"study_seconds":{"type":"integer","minimum":0,"maximum":9007199254740991},"accuracy":{"type":"number","minimum":0,"maximum":1},"streak_days":{"type":"integer","minimum":0,"maximum":9007199254740991}},"required":["session_id","words_learned","pages_read","study_seconds","accuracy","streak_days"],"additionalProperties":false};

function validate25(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate25.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if(((((data.type === undefined) && (missing0 = "type")) || ((data.id === undefined) && (missing0 = "id"))) || ((data.timestamp === undefined) && (missing0 = "timestamp"))) || ((data.payload === undefined) && (missing0 = "payload"))){
validate25.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!(((((key0 === "type") || (key0 === "id")) || (key0 === "timestamp")) || (key0 === "seq")) || (key0 === "payload"))){
validate25.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.type !== undefined){
const _errs2 = errors;
if("learning_update" !== data.type){
validate25.errors = [{instancePath:instancePath+"/type",schemaPath:"#/properties/type/const",keyword:"const",params:{allowedValue: "learning_update"},message:"must be equal to constant"}];
return false;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.id !== undefined){
let data1 = data.id;
const _errs3 = errors;
if(errors === _errs3){
if(errors === _errs3){
if(typeof data1 === "string"){
if(!(formats0.test(data1))){
validate25.errors = [{instancePath:instancePath+"/id",schemaPath:"#/properties/id/format",keyword:"format",params:{format: "uuid"},message:"must match format \""+"uuid"+"\""}];
return false;
}
}
else {
validate25.errors = [{instancePath:instancePath+"/id",schemaPath:"#/properties/id/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.timestamp !== undefined){
let data2 = data.timestamp;
const _errs5 = errors;
if(errors === _errs5){
if(errors === _errs5){
if(typeof data2 === "string"){
if(!(formats2.test(data2))){
validate25.errors = [{instancePath:instancePath+"/timestamp",schemaPath:"#/properties/timestamp/format",keyword:"format",params:{format: "date-time"},message:"must match format \""+"date-time"+"\""}];
return false;
}
}
else {
validate25.errors = [{instancePath:instancePath+"/timestamp",schemaPath:"#/properties/timestamp/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid0 = _errs5 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.seq !== undefined){
let data3 = data.seq;
const _errs7 = errors;
if(!((typeof data3 == "number") && (!(data3 % 1) && !isNaN(data3)))){
validate25.errors = [{instancePath:instancePath+"/seq",schemaPath:"#/properties/seq/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs7){
if(typeof data3 == "number"){
if(data3 > 9007199254740991 || isNaN(data3)){
validate25.errors = [{instancePath:instancePath+"/seq",schemaPath:"#/properties/seq/maximum",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991},message:"must be <= 9007199254740991"}];
return false;
}
else {
if(data3 < 1 || isNaN(data3)){
validate25.errors = [{instancePath:instancePath+"/seq",schemaPath:"#/properties/seq/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"}];
return false;
}
}
}
}
var valid0 = _errs7 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.payload !== undefined){
let data4 = data.payload;
const _errs9 = errors;
const _errs10 = errors;
if(errors === _errs10){
if(data4 && typeof data4 == "object" && !Array.isArray(data4)){
let missing1;
if(((((((data4.session_id === undefined) && (missing1 = "session_id")) || ((data4.words_learned === undefined) && (missing1 = "words_learned"))) || ((data4.pages_read === undefined) && (missing1 = "pages_read"))) || ((data4.study_seconds === undefined) && (missing1 = "study_seconds"))) || ((data4.accuracy === undefined) && (missing1 = "accuracy"))) || ((data4.streak_days === undefined) && (missing1 = "streak_days"))){
validate25.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/LearningUpdatePayload/required",keyword:"required",params:{missingProperty: missing1},message:"must have required property '"+missing1+"'"}];
return false;
}
else {
const _errs12 = errors;
for(const key1 in data4){
if(!(((((((key1 === "session_id") || (key1 === "book_id")) || (key1 === "words_learned")) || (key1 === "pages_read")) || (key1 === "study_seconds")) || (key1 === "accuracy")) || (key1 === "streak_days"))){
validate25.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/LearningUpdatePayload/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs12 === errors){
if(data4.session_id !== undefined){
let data5 = data4.session_id;
const _errs13 = errors;
if(errors === _errs13){
if(errors === _errs13){
if(typeof data5 === "string"){
if(!(formats0.test(data5))){
validate25.errors = [{instancePath:instancePath+"/payload/session_id",schemaPath:"#/$defs/LearningUpdatePayload/properties/session_id/format",keyword:"format",params:{format: "uuid"},message:"must match format \""+"uuid"+"\""}];
return false;
}
}
else {
validate25.errors = [{instancePath:instancePath+"/payload/session_id",schemaPath:"#/$defs/LearningUpdatePayload/properties/session_id/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid2 = _errs13 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data4.book_id !== undefined){
let data6 = data4.book_id;
const _errs15 = errors;
if(errors === _errs15){
if(errors === _errs15){
if(typeof data6 === "string"){
if(!(formats0.test(data6))){
validate25.errors = [{instancePath:instancePath+"/payload/book_id",schemaPath:"#/$defs/LearningUpdatePayload/properties/book_id/format",keyword:"format",params:{format: "uuid"},message:"must match format \""+"uuid"+"\""}];
return false;
}
}
else {
validate25.errors = [{instancePath:instancePath+"/payload/book_id",schemaPath:"#/$defs/LearningUpdatePayload/properties/book_id/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid2 = _errs15 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data4.words_learned !== undefined){
let data7 = data4.words_learned;
const _errs17 = errors;
if(!((typeof data7 == "number") && (!(data7 % 1) && !isNaN(data7)))){
validate25.errors = [{instancePath:instancePath+"/payload/words_learned",schemaPath:"#/$defs/LearningUpdatePayload/properties/words_learned/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs17){
if(typeof data7 == "number"){
if(data7 > 9007199254740991 || isNaN(data7)){
validate25.errors = [{instancePath:instancePath+"/payload/words_learned",schemaPath:"#/$defs/LearningUpdatePayload/properties/words_learned/maximum",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991},message:"must be <= 9007199254740991"}];
return false;
}
else {
if(data7 < 0 || isNaN(data7)){
validate25.errors = [{instancePath:instancePath+"/payload/words_learned",schemaPath:"#/$defs/LearningUpdatePayload/properties/words_learned/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"}];
return false;
}
}
}
}
var valid2 = _errs17 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data4.pages_read !== undefined){
let data8 = data4.pages_read;
const _errs19 = errors;
if(!((typeof data8 == "number") && (!(data8 % 1) && !isNaN(data8)))){
validate25.errors = [{instancePath:instancePath+"/payload/pages_read",schemaPath:"#/$defs/LearningUpdatePayload/properties/pages_read/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs19){
if(typeof data8 == "number"){
if(data8 > 9007199254740991 || isNaN(data8)){
validate25.errors = [{instancePath:instancePath+"/payload/pages_read",schemaPath:"#/$defs/LearningUpdatePayload/properties/pages_read/maximum",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991},message:"must be <= 9007199254740991"}];
return false;
}
else {
if(data8 < 0 || isNaN(data8)){
validate25.errors = [{instancePath:instancePath+"/payload/pages_read",schemaPath:"#/$defs/LearningUpdatePayload/properties/pages_read/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"}];
return false;
}
}
}
}
var valid2 = _errs19 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data4.study_seconds !== undefined){
let data9 = data4.study_seconds;
const _errs21 = errors;
if(!((typeof data9 == "number") && (!(data9 % 1) && !isNaN(data9)))){
validate25.errors = [{instancePath:instancePath+"/payload/study_seconds",schemaPath:"#/$defs/LearningUpdatePayload/properties/study_seconds/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs21){
if(typeof data9 == "number"){
if(data9 > 9007199254740991 || isNaN(data9)){
validate25.errors = [{instancePath:instancePath+"/payload/study_seconds",schemaPath:"#/$defs/LearningUpdatePayload/properties/study_seconds/maximum",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991},message:"must be <= 9007199254740991"}];
return false;
}
else {
if(data9 < 0 || isNaN(data9)){
validate25.errors = [{instancePath:instancePath+"/payload/study_seconds",schemaPath:"#/$defs/LearningUpdatePayload/properties/study_seconds/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"}];
return false;
}
}
}
}
var valid2 = _errs21 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data4.accuracy !== undefined){
let data10 = data4.accuracy;
const _errs23 = errors;
if(errors === _errs23){
if(typeof data10 == "number"){
if(data10 > 1 || isNaN(data10)){
validate25.errors = [{instancePath:instancePath+"/payload/accuracy",schemaPath:"#/$defs/LearningUpdatePayload/properties/accuracy/maximum",keyword:"maximum",params:{comparison: "<=", limit: 1},message:"must be <= 1"}];
return false;
}
else {
if(data10 < 0 || isNaN(data10)){
validate25.errors = [{instancePath:instancePath+"/payload/accuracy",schemaPath:"#/$defs/LearningUpdatePayload/properties/accuracy/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"}];
return false;
}
}
}
else {
validate25.errors = [{instancePath:instancePath+"/payload/accuracy",schemaPath:"#/$defs/LearningUpdatePayload/properties/accuracy/type",keyword:"type",params:{type: "number"},message:"must be number"}];
return false;
}
}
var valid2 = _errs23 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data4.streak_days !== undefined){
let data11 = data4.streak_days;
const _errs25 = errors;
if(!((typeof data11 == "number") && (!(data11 % 1) && !isNaN(data11)))){
validate25.errors = [{instancePath:instancePath+"/payload/streak_days",schemaPath:"#/$defs/LearningUpdatePayload/properties/streak_days/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs25){
if(typeof data11 == "number"){
if(data11 > 9007199254740991 || isNaN(data11)){
validate25.errors = [{instancePath:instancePath+"/payload/streak_days",schemaPath:"#/$defs/LearningUpdatePayload/properties/streak_days/maximum",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991},message:"must be <= 9007199254740991"}];
return false;
}
else {
if(data11 < 0 || isNaN(data11)){
validate25.errors = [{instancePath:instancePath+"/payload/streak_days",schemaPath:"#/$defs/LearningUpdatePayload/properties/streak_days/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"}];
return false;
}
}
}
}
var valid2 = _errs25 === errors;
}
else {
var valid2 = true;
}
}
}
}
}
}
}
}
}
}
else {
validate25.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/LearningUpdatePayload/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs9 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
}
}
else {
validate25.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate25.errors = vErrors;
return errors === 0;
}
validate25.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const server_notification = validate26;
const schema40 = {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"type":{"const":"notification"},"id":{"type":"string","format":"uuid"},"timestamp":{"type":"string","format":"date-time"},"seq":{"type":"integer","minimum":1,"maximum":9007199254740991},"payload":{"$ref":"#/$defs/NotificationPayload"}},"required":["type","id","timestamp","payload"],"additionalProperties":false,"$defs":{"NotificationPayload":{"type":"object","properties":{"title":{"type":"string","minLength":1,"maxLength":200},"message":{"type":"string","minLength":1,"maxLength":2000},"level":{"type":"string","enum":["info","success","warning","error"]},"action_url":{"type":"string","format":"uri","maxLength":2048,"pattern":"^(?:[Hh][Tt][Tt][Pp][Ss]?|[Hh][Aa][Ii][Ll][Aa][Nn][Gg][Oo]):"}},"required":["title","message","level"],"additionalProperties":false}}};
const schema41 = {"type":"object","properties":{"title":{"type":"string","minLength":1,"maxLength":200},"message":{"type":"string","minLength":1,"maxLength":2000},"level":{"type":"string","enum":["info","success","warning","error"]},"action_url":{"type":"string","format":"uri","maxLength":2048,"pattern":"^(?:[Hh][Tt][Tt][Pp][Ss]?|[Hh][Aa][Ii][Ll][Aa][Nn][Gg][Oo]):"}},"required":["title","message","level"],"additionalProperties":false};

function validate26(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate26.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if(((((data.type === undefined) && (missing0 = "type")) || ((data.id === undefined) && (missing0 = "id"))) || ((data.timestamp === undefined) && (missing0 = "timestamp"))) || ((data.payload === undefined) && (missing0 = "payload"))){
validate26.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!(((((key0 === "type") || (key0 === "id")) || (key0 === "timestamp")) || (key0 === "seq")) || (key0 === "payload"))){
validate26.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.type !== undefined){
const _errs2 = errors;
if("notification" !== data.type){
validate26.errors = [{instancePath:instancePath+"/type",schemaPath:"#/properties/type/const",keyword:"const",params:{allowedValue: "notification"},message:"must be equal to constant"}];
return false;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.id !== undefined){
let data1 = data.id;
const _errs3 = errors;
if(errors === _errs3){
if(errors === _errs3){
if(typeof data1 === "string"){
if(!(formats0.test(data1))){
validate26.errors = [{instancePath:instancePath+"/id",schemaPath:"#/properties/id/format",keyword:"format",params:{format: "uuid"},message:"must match format \""+"uuid"+"\""}];
return false;
}
}
else {
validate26.errors = [{instancePath:instancePath+"/id",schemaPath:"#/properties/id/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.timestamp !== undefined){
let data2 = data.timestamp;
const _errs5 = errors;
if(errors === _errs5){
if(errors === _errs5){
if(typeof data2 === "string"){
if(!(formats2.test(data2))){
validate26.errors = [{instancePath:instancePath+"/timestamp",schemaPath:"#/properties/timestamp/format",keyword:"format",params:{format: "date-time"},message:"must match format \""+"date-time"+"\""}];
return false;
}
}
else {
validate26.errors = [{instancePath:instancePath+"/timestamp",schemaPath:"#/properties/timestamp/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid0 = _errs5 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.seq !== undefined){
let data3 = data.seq;
const _errs7 = errors;
if(!((typeof data3 == "number") && (!(data3 % 1) && !isNaN(data3)))){
validate26.errors = [{instancePath:instancePath+"/seq",schemaPath:"#/properties/seq/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs7){
if(typeof data3 == "number"){
if(data3 > 9007199254740991 || isNaN(data3)){
validate26.errors = [{instancePath:instancePath+"/seq",schemaPath:"#/properties/seq/maximum",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991},message:"must be <= 9007199254740991"}];
return false;
}
else {
if(data3 < 1 || isNaN(data3)){
validate26.errors = [{instancePath:instancePath+"/seq",schemaPath:"#/properties/seq/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"}];
return false;
}
}
}
}
var valid0 = _errs7 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.payload !== undefined){
let data4 = data.payload;
const _errs9 = errors;
const _errs10 = errors;
if(errors === _errs10){
if(data4 && typeof data4 == "object" && !Array.isArray(data4)){
let missing1;
if((((data4.title === undefined) && (missing1 = "title")) || ((data4.message === undefined) && (missing1 = "message"))) || ((data4.level === undefined) && (missing1 = "level"))){
validate26.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/NotificationPayload/required",keyword:"required",params:{missingProperty: missing1},message:"must have required property '"+missing1+"'"}];
return false;
}
else {
const _errs12 = errors;
for(const key1 in data4){
if(!((((key1 === "title") || (key1 === "message")) || (key1 === "level")) || (key1 === "action_url"))){
validate26.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/NotificationPayload/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs12 === errors){
if(data4.title !== undefined){
let data5 = data4.title;
const _errs13 = errors;
if(errors === _errs13){
if(typeof data5 === "string"){
if(func1(data5) > 200){
validate26.errors = [{instancePath:instancePath+"/payload/title",schemaPath:"#/$defs/NotificationPayload/properties/title/maxLength",keyword:"maxLength",params:{limit: 200},message:"must NOT have more than 200 characters"}];
return false;
}
else {
if(func1(data5) < 1){
validate26.errors = [{instancePath:instancePath+"/payload/title",schemaPath:"#/$defs/NotificationPayload/properties/title/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"}];
return false;
}
}
}
else {
validate26.errors = [{instancePath:instancePath+"/payload/title",schemaPath:"#/$defs/NotificationPayload/properties/title/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid2 = _errs13 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data4.message !== undefined){
let data6 = data4.message;
const _errs15 = errors;
if(errors === _errs15){
if(typeof data6 === "string"){
if(func1(data6) > 2000){
validate26.errors = [{instancePath:instancePath+"/payload/message",schemaPath:"#/$defs/NotificationPayload/properties/message/maxLength",keyword:"maxLength",params:{limit: 2000},message:"must NOT have more than 2000 characters"}];
return false;
}
else {
if(func1(data6) < 1){
validate26.errors = [{instancePath:instancePath+"/payload/message",schemaPath:"#/$defs/NotificationPayload/properties/message/minLength",keyword:"minLength",params:{limit: 1},message:"must NOT have fewer than 1 characters"}];
return false;
}
}
}
else {
validate26.errors = [{instancePath:instancePath+"/payload/message",schemaPath:"#/$defs/NotificationPayload/properties/message/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid2 = _errs15 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data4.level !== undefined){
let data7 = data4.level;
const _errs17 = errors;
if(typeof data7 !== "string"){
validate26.errors = [{instancePath:instancePath+"/payload/level",schemaPath:"#/$defs/NotificationPayload/properties/level/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
if(!((((data7 === "info") || (data7 === "success")) || (data7 === "warning")) || (data7 === "error"))){
validate26.errors = [{instancePath:instancePath+"/payload/level",schemaPath:"#/$defs/NotificationPayload/properties/level/enum",keyword:"enum",params:{allowedValues: schema41.properties.level.enum},message:"must be equal to one of the allowed values"}];
return false;
}
var valid2 = _errs17 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data4.action_url !== undefined){
let data8 = data4.action_url;
const _errs19 = errors;
if(errors === _errs19){
if(errors === _errs19){
if(typeof data8 === "string"){
if(func1(data8) > 2048){
validate26.errors = [{instancePath:instancePath+"/payload/action_url",schemaPath:"#/$defs/NotificationPayload/properties/action_url/maxLength",keyword:"maxLength",params:{limit: 2048},message:"must NOT have more than 2048 characters"}];
return false;
}
else {
if(!pattern4.test(data8)){
validate26.errors = [{instancePath:instancePath+"/payload/action_url",schemaPath:"#/$defs/NotificationPayload/properties/action_url/pattern",keyword:"pattern",params:{pattern: "^(?:[Hh][Tt][Tt][Pp][Ss]?|[Hh][Aa][Ii][Ll][Aa][Nn][Gg][Oo]):"},message:"must match pattern \""+"^(?:[Hh][Tt][Tt][Pp][Ss]?|[Hh][Aa][Ii][Ll][Aa][Nn][Gg][Oo]):"+"\""}];
return false;
}
else {
if(!(formats6.test(data8))){
validate26.errors = [{instancePath:instancePath+"/payload/action_url",schemaPath:"#/$defs/NotificationPayload/properties/action_url/format",keyword:"format",params:{format: "uri"},message:"must match format \""+"uri"+"\""}];
return false;
}
}
}
}
else {
validate26.errors = [{instancePath:instancePath+"/payload/action_url",schemaPath:"#/$defs/NotificationPayload/properties/action_url/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid2 = _errs19 === errors;
}
else {
var valid2 = true;
}
}
}
}
}
}
}
else {
validate26.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/NotificationPayload/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs9 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
}
}
else {
validate26.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate26.errors = vErrors;
return errors === 0;
}
validate26.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const server_ocr_progress = validate27;
const schema42 = {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"type":{"const":"ocr_progress"},"id":{"type":"string","format":"uuid"},"timestamp":{"type":"string","format":"date-time"},"seq":{"type":"integer","minimum":1,"maximum":9007199254740991},"payload":{"$ref":"#/$defs/OcrProgressPayload"}},"required":["type","id","timestamp","payload"],"additionalProperties":false,"$defs":{"OcrProgressPayload":{"type":"object","properties":{"book_id":{"type":"string","format":"uuid"},"total_pages":{"type":"integer","minimum":1,"maximum":9007199254740991},"processed_pages":{"type":"integer","minimum":0,"maximum":9007199254740991},"progress":{"type":"number","minimum":0,"maximum":100},"status":{"type":"string","enum":["pending","processing","completed","failed"]},"message":{"type":"string","maxLength":1000}},"required":["book_id","total_pages","processed_pages","progress","status"],"additionalProperties":false}}};
const schema43 = {"type":"object","properties":{"book_id":{"type":"string","format":"uuid"},"total_pages":{"type":"integer","minimum":1,"maximum":9007199254740991},"processed_pages":{"type":"integer","minimum":0,"maximum":9007199254740991},"progress":{"type":"number","minimum":0,"maximum":100},"status":{"type":"string","enum":["pending","processing","completed","failed"]},"message":{"type":"string","maxLength":1000}},"required":["book_id","total_pages","processed_pages","progress","status"],"additionalProperties":false};

function validate27(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate27.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if(((((data.type === undefined) && (missing0 = "type")) || ((data.id === undefined) && (missing0 = "id"))) || ((data.timestamp === undefined) && (missing0 = "timestamp"))) || ((data.payload === undefined) && (missing0 = "payload"))){
validate27.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!(((((key0 === "type") || (key0 === "id")) || (key0 === "timestamp")) || (key0 === "seq")) || (key0 === "payload"))){
validate27.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.type !== undefined){
const _errs2 = errors;
if("ocr_progress" !== data.type){
validate27.errors = [{instancePath:instancePath+"/type",schemaPath:"#/properties/type/const",keyword:"const",params:{allowedValue: "ocr_progress"},message:"must be equal to constant"}];
return false;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.id !== undefined){
let data1 = data.id;
const _errs3 = errors;
if(errors === _errs3){
if(errors === _errs3){
if(typeof data1 === "string"){
if(!(formats0.test(data1))){
validate27.errors = [{instancePath:instancePath+"/id",schemaPath:"#/properties/id/format",keyword:"format",params:{format: "uuid"},message:"must match format \""+"uuid"+"\""}];
return false;
}
}
else {
validate27.errors = [{instancePath:instancePath+"/id",schemaPath:"#/properties/id/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.timestamp !== undefined){
let data2 = data.timestamp;
const _errs5 = errors;
if(errors === _errs5){
if(errors === _errs5){
if(typeof data2 === "string"){
if(!(formats2.test(data2))){
validate27.errors = [{instancePath:instancePath+"/timestamp",schemaPath:"#/properties/timestamp/format",keyword:"format",params:{format: "date-time"},message:"must match format \""+"date-time"+"\""}];
return false;
}
}
else {
validate27.errors = [{instancePath:instancePath+"/timestamp",schemaPath:"#/properties/timestamp/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid0 = _errs5 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.seq !== undefined){
let data3 = data.seq;
const _errs7 = errors;
if(!((typeof data3 == "number") && (!(data3 % 1) && !isNaN(data3)))){
validate27.errors = [{instancePath:instancePath+"/seq",schemaPath:"#/properties/seq/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs7){
if(typeof data3 == "number"){
if(data3 > 9007199254740991 || isNaN(data3)){
validate27.errors = [{instancePath:instancePath+"/seq",schemaPath:"#/properties/seq/maximum",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991},message:"must be <= 9007199254740991"}];
return false;
}
else {
if(data3 < 1 || isNaN(data3)){
validate27.errors = [{instancePath:instancePath+"/seq",schemaPath:"#/properties/seq/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"}];
return false;
}
}
}
}
var valid0 = _errs7 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.payload !== undefined){
let data4 = data.payload;
const _errs9 = errors;
const _errs10 = errors;
if(errors === _errs10){
if(data4 && typeof data4 == "object" && !Array.isArray(data4)){
let missing1;
if((((((data4.book_id === undefined) && (missing1 = "book_id")) || ((data4.total_pages === undefined) && (missing1 = "total_pages"))) || ((data4.processed_pages === undefined) && (missing1 = "processed_pages"))) || ((data4.progress === undefined) && (missing1 = "progress"))) || ((data4.status === undefined) && (missing1 = "status"))){
validate27.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/OcrProgressPayload/required",keyword:"required",params:{missingProperty: missing1},message:"must have required property '"+missing1+"'"}];
return false;
}
else {
const _errs12 = errors;
for(const key1 in data4){
if(!((((((key1 === "book_id") || (key1 === "total_pages")) || (key1 === "processed_pages")) || (key1 === "progress")) || (key1 === "status")) || (key1 === "message"))){
validate27.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/OcrProgressPayload/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs12 === errors){
if(data4.book_id !== undefined){
let data5 = data4.book_id;
const _errs13 = errors;
if(errors === _errs13){
if(errors === _errs13){
if(typeof data5 === "string"){
if(!(formats0.test(data5))){
validate27.errors = [{instancePath:instancePath+"/payload/book_id",schemaPath:"#/$defs/OcrProgressPayload/properties/book_id/format",keyword:"format",params:{format: "uuid"},message:"must match format \""+"uuid"+"\""}];
return false;
}
}
else {
validate27.errors = [{instancePath:instancePath+"/payload/book_id",schemaPath:"#/$defs/OcrProgressPayload/properties/book_id/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid2 = _errs13 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data4.total_pages !== undefined){
let data6 = data4.total_pages;
const _errs15 = errors;
if(!((typeof data6 == "number") && (!(data6 % 1) && !isNaN(data6)))){
validate27.errors = [{instancePath:instancePath+"/payload/total_pages",schemaPath:"#/$defs/OcrProgressPayload/properties/total_pages/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs15){
if(typeof data6 == "number"){
if(data6 > 9007199254740991 || isNaN(data6)){
validate27.errors = [{instancePath:instancePath+"/payload/total_pages",schemaPath:"#/$defs/OcrProgressPayload/properties/total_pages/maximum",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991},message:"must be <= 9007199254740991"}];
return false;
}
else {
if(data6 < 1 || isNaN(data6)){
validate27.errors = [{instancePath:instancePath+"/payload/total_pages",schemaPath:"#/$defs/OcrProgressPayload/properties/total_pages/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"}];
return false;
}
}
}
}
var valid2 = _errs15 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data4.processed_pages !== undefined){
let data7 = data4.processed_pages;
const _errs17 = errors;
if(!((typeof data7 == "number") && (!(data7 % 1) && !isNaN(data7)))){
validate27.errors = [{instancePath:instancePath+"/payload/processed_pages",schemaPath:"#/$defs/OcrProgressPayload/properties/processed_pages/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs17){
if(typeof data7 == "number"){
if(data7 > 9007199254740991 || isNaN(data7)){
validate27.errors = [{instancePath:instancePath+"/payload/processed_pages",schemaPath:"#/$defs/OcrProgressPayload/properties/processed_pages/maximum",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991},message:"must be <= 9007199254740991"}];
return false;
}
else {
if(data7 < 0 || isNaN(data7)){
validate27.errors = [{instancePath:instancePath+"/payload/processed_pages",schemaPath:"#/$defs/OcrProgressPayload/properties/processed_pages/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"}];
return false;
}
}
}
}
var valid2 = _errs17 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data4.progress !== undefined){
let data8 = data4.progress;
const _errs19 = errors;
if(errors === _errs19){
if(typeof data8 == "number"){
if(data8 > 100 || isNaN(data8)){
validate27.errors = [{instancePath:instancePath+"/payload/progress",schemaPath:"#/$defs/OcrProgressPayload/properties/progress/maximum",keyword:"maximum",params:{comparison: "<=", limit: 100},message:"must be <= 100"}];
return false;
}
else {
if(data8 < 0 || isNaN(data8)){
validate27.errors = [{instancePath:instancePath+"/payload/progress",schemaPath:"#/$defs/OcrProgressPayload/properties/progress/minimum",keyword:"minimum",params:{comparison: ">=", limit: 0},message:"must be >= 0"}];
return false;
}
}
}
else {
validate27.errors = [{instancePath:instancePath+"/payload/progress",schemaPath:"#/$defs/OcrProgressPayload/properties/progress/type",keyword:"type",params:{type: "number"},message:"must be number"}];
return false;
}
}
var valid2 = _errs19 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data4.status !== undefined){
let data9 = data4.status;
const _errs21 = errors;
if(typeof data9 !== "string"){
validate27.errors = [{instancePath:instancePath+"/payload/status",schemaPath:"#/$defs/OcrProgressPayload/properties/status/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
if(!((((data9 === "pending") || (data9 === "processing")) || (data9 === "completed")) || (data9 === "failed"))){
validate27.errors = [{instancePath:instancePath+"/payload/status",schemaPath:"#/$defs/OcrProgressPayload/properties/status/enum",keyword:"enum",params:{allowedValues: schema43.properties.status.enum},message:"must be equal to one of the allowed values"}];
return false;
}
var valid2 = _errs21 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data4.message !== undefined){
let data10 = data4.message;
const _errs23 = errors;
if(errors === _errs23){
if(typeof data10 === "string"){
if(func1(data10) > 1000){
validate27.errors = [{instancePath:instancePath+"/payload/message",schemaPath:"#/$defs/OcrProgressPayload/properties/message/maxLength",keyword:"maxLength",params:{limit: 1000},message:"must NOT have more than 1000 characters"}];
return false;
}
}
else {
validate27.errors = [{instancePath:instancePath+"/payload/message",schemaPath:"#/$defs/OcrProgressPayload/properties/message/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid2 = _errs23 === errors;
}
else {
var valid2 = true;
}
}
}
}
}
}
}
}
}
else {
validate27.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/OcrProgressPayload/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs9 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
}
}
else {
validate27.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate27.errors = vErrors;
return errors === 0;
}
validate27.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const server_pong = validate28;
const schema44 = {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"type":{"const":"pong"},"id":{"type":"string","format":"uuid"},"timestamp":{"type":"string","format":"date-time"},"payload":{"$ref":"#/$defs/PongPayload"}},"required":["type","id","timestamp","payload"],"additionalProperties":false,"$defs":{"PongPayload":{"type":"object","properties":{"server_time":{"type":"string","format":"date-time"}},"required":["server_time"],"additionalProperties":false}}};
const schema45 = {"type":"object","properties":{"server_time":{"type":"string","format":"date-time"}},"required":["server_time"],"additionalProperties":false};

function validate28(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate28.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if(((((data.type === undefined) && (missing0 = "type")) || ((data.id === undefined) && (missing0 = "id"))) || ((data.timestamp === undefined) && (missing0 = "timestamp"))) || ((data.payload === undefined) && (missing0 = "payload"))){
validate28.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!((((key0 === "type") || (key0 === "id")) || (key0 === "timestamp")) || (key0 === "payload"))){
validate28.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.type !== undefined){
const _errs2 = errors;
if("pong" !== data.type){
validate28.errors = [{instancePath:instancePath+"/type",schemaPath:"#/properties/type/const",keyword:"const",params:{allowedValue: "pong"},message:"must be equal to constant"}];
return false;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.id !== undefined){
let data1 = data.id;
const _errs3 = errors;
if(errors === _errs3){
if(errors === _errs3){
if(typeof data1 === "string"){
if(!(formats0.test(data1))){
validate28.errors = [{instancePath:instancePath+"/id",schemaPath:"#/properties/id/format",keyword:"format",params:{format: "uuid"},message:"must match format \""+"uuid"+"\""}];
return false;
}
}
else {
validate28.errors = [{instancePath:instancePath+"/id",schemaPath:"#/properties/id/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.timestamp !== undefined){
let data2 = data.timestamp;
const _errs5 = errors;
if(errors === _errs5){
if(errors === _errs5){
if(typeof data2 === "string"){
if(!(formats2.test(data2))){
validate28.errors = [{instancePath:instancePath+"/timestamp",schemaPath:"#/properties/timestamp/format",keyword:"format",params:{format: "date-time"},message:"must match format \""+"date-time"+"\""}];
return false;
}
}
else {
validate28.errors = [{instancePath:instancePath+"/timestamp",schemaPath:"#/properties/timestamp/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid0 = _errs5 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.payload !== undefined){
let data3 = data.payload;
const _errs7 = errors;
const _errs8 = errors;
if(errors === _errs8){
if(data3 && typeof data3 == "object" && !Array.isArray(data3)){
let missing1;
if((data3.server_time === undefined) && (missing1 = "server_time")){
validate28.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/PongPayload/required",keyword:"required",params:{missingProperty: missing1},message:"must have required property '"+missing1+"'"}];
return false;
}
else {
const _errs10 = errors;
for(const key1 in data3){
if(!(key1 === "server_time")){
validate28.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/PongPayload/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs10 === errors){
if(data3.server_time !== undefined){
let data4 = data3.server_time;
const _errs11 = errors;
if(errors === _errs11){
if(errors === _errs11){
if(typeof data4 === "string"){
if(!(formats2.test(data4))){
validate28.errors = [{instancePath:instancePath+"/payload/server_time",schemaPath:"#/$defs/PongPayload/properties/server_time/format",keyword:"format",params:{format: "date-time"},message:"must match format \""+"date-time"+"\""}];
return false;
}
}
else {
validate28.errors = [{instancePath:instancePath+"/payload/server_time",schemaPath:"#/$defs/PongPayload/properties/server_time/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
}
}
}
}
else {
validate28.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/PongPayload/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs7 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
}
else {
validate28.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate28.errors = vErrors;
return errors === 0;
}
validate28.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const server_read_receipt = validate29;
const schema46 = {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"type":{"const":"read_receipt"},"id":{"type":"string","format":"uuid"},"timestamp":{"type":"string","format":"date-time"},"payload":{"$ref":"#/$defs/ReadReceiptPayload"}},"required":["type","id","timestamp","payload"],"additionalProperties":false,"$defs":{"ReadReceiptPayload":{"type":"object","properties":{"read_seq":{"type":"integer","minimum":1,"maximum":9007199254740991}},"required":["read_seq"],"additionalProperties":false}}};
const schema47 = {"type":"object","properties":{"read_seq":{"type":"integer","minimum":1,"maximum":9007199254740991}},"required":["read_seq"],"additionalProperties":false};

function validate29(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate29.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if(((((data.type === undefined) && (missing0 = "type")) || ((data.id === undefined) && (missing0 = "id"))) || ((data.timestamp === undefined) && (missing0 = "timestamp"))) || ((data.payload === undefined) && (missing0 = "payload"))){
validate29.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!((((key0 === "type") || (key0 === "id")) || (key0 === "timestamp")) || (key0 === "payload"))){
validate29.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.type !== undefined){
const _errs2 = errors;
if("read_receipt" !== data.type){
validate29.errors = [{instancePath:instancePath+"/type",schemaPath:"#/properties/type/const",keyword:"const",params:{allowedValue: "read_receipt"},message:"must be equal to constant"}];
return false;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.id !== undefined){
let data1 = data.id;
const _errs3 = errors;
if(errors === _errs3){
if(errors === _errs3){
if(typeof data1 === "string"){
if(!(formats0.test(data1))){
validate29.errors = [{instancePath:instancePath+"/id",schemaPath:"#/properties/id/format",keyword:"format",params:{format: "uuid"},message:"must match format \""+"uuid"+"\""}];
return false;
}
}
else {
validate29.errors = [{instancePath:instancePath+"/id",schemaPath:"#/properties/id/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.timestamp !== undefined){
let data2 = data.timestamp;
const _errs5 = errors;
if(errors === _errs5){
if(errors === _errs5){
if(typeof data2 === "string"){
if(!(formats2.test(data2))){
validate29.errors = [{instancePath:instancePath+"/timestamp",schemaPath:"#/properties/timestamp/format",keyword:"format",params:{format: "date-time"},message:"must match format \""+"date-time"+"\""}];
return false;
}
}
else {
validate29.errors = [{instancePath:instancePath+"/timestamp",schemaPath:"#/properties/timestamp/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid0 = _errs5 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.payload !== undefined){
let data3 = data.payload;
const _errs7 = errors;
const _errs8 = errors;
if(errors === _errs8){
if(data3 && typeof data3 == "object" && !Array.isArray(data3)){
let missing1;
if((data3.read_seq === undefined) && (missing1 = "read_seq")){
validate29.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/ReadReceiptPayload/required",keyword:"required",params:{missingProperty: missing1},message:"must have required property '"+missing1+"'"}];
return false;
}
else {
const _errs10 = errors;
for(const key1 in data3){
if(!(key1 === "read_seq")){
validate29.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/ReadReceiptPayload/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs10 === errors){
if(data3.read_seq !== undefined){
let data4 = data3.read_seq;
const _errs11 = errors;
if(!((typeof data4 == "number") && (!(data4 % 1) && !isNaN(data4)))){
validate29.errors = [{instancePath:instancePath+"/payload/read_seq",schemaPath:"#/$defs/ReadReceiptPayload/properties/read_seq/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs11){
if(typeof data4 == "number"){
if(data4 > 9007199254740991 || isNaN(data4)){
validate29.errors = [{instancePath:instancePath+"/payload/read_seq",schemaPath:"#/$defs/ReadReceiptPayload/properties/read_seq/maximum",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991},message:"must be <= 9007199254740991"}];
return false;
}
else {
if(data4 < 1 || isNaN(data4)){
validate29.errors = [{instancePath:instancePath+"/payload/read_seq",schemaPath:"#/$defs/ReadReceiptPayload/properties/read_seq/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"}];
return false;
}
}
}
}
}
}
}
}
else {
validate29.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/ReadReceiptPayload/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs7 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
}
else {
validate29.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate29.errors = vErrors;
return errors === 0;
}
validate29.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const server_review_reminder = validate30;
const schema48 = {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"type":{"const":"review_reminder"},"id":{"type":"string","format":"uuid"},"timestamp":{"type":"string","format":"date-time"},"seq":{"type":"integer","minimum":1,"maximum":9007199254740991},"payload":{"$ref":"#/$defs/ReviewReminderPayload"}},"required":["type","id","timestamp","payload"],"additionalProperties":false,"$defs":{"ReviewReminderPayload":{"type":"object","properties":{"due_count":{"type":"integer","minimum":1,"maximum":9007199254740991},"book_id":{"type":"string","format":"uuid"},"message":{"type":"string","maxLength":1000}},"required":["due_count"],"additionalProperties":false}}};
const schema49 = {"type":"object","properties":{"due_count":{"type":"integer","minimum":1,"maximum":9007199254740991},"book_id":{"type":"string","format":"uuid"},"message":{"type":"string","maxLength":1000}},"required":["due_count"],"additionalProperties":false};

function validate30(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate30.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if(((((data.type === undefined) && (missing0 = "type")) || ((data.id === undefined) && (missing0 = "id"))) || ((data.timestamp === undefined) && (missing0 = "timestamp"))) || ((data.payload === undefined) && (missing0 = "payload"))){
validate30.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!(((((key0 === "type") || (key0 === "id")) || (key0 === "timestamp")) || (key0 === "seq")) || (key0 === "payload"))){
validate30.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.type !== undefined){
const _errs2 = errors;
if("review_reminder" !== data.type){
validate30.errors = [{instancePath:instancePath+"/type",schemaPath:"#/properties/type/const",keyword:"const",params:{allowedValue: "review_reminder"},message:"must be equal to constant"}];
return false;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.id !== undefined){
let data1 = data.id;
const _errs3 = errors;
if(errors === _errs3){
if(errors === _errs3){
if(typeof data1 === "string"){
if(!(formats0.test(data1))){
validate30.errors = [{instancePath:instancePath+"/id",schemaPath:"#/properties/id/format",keyword:"format",params:{format: "uuid"},message:"must match format \""+"uuid"+"\""}];
return false;
}
}
else {
validate30.errors = [{instancePath:instancePath+"/id",schemaPath:"#/properties/id/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.timestamp !== undefined){
let data2 = data.timestamp;
const _errs5 = errors;
if(errors === _errs5){
if(errors === _errs5){
if(typeof data2 === "string"){
if(!(formats2.test(data2))){
validate30.errors = [{instancePath:instancePath+"/timestamp",schemaPath:"#/properties/timestamp/format",keyword:"format",params:{format: "date-time"},message:"must match format \""+"date-time"+"\""}];
return false;
}
}
else {
validate30.errors = [{instancePath:instancePath+"/timestamp",schemaPath:"#/properties/timestamp/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid0 = _errs5 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.seq !== undefined){
let data3 = data.seq;
const _errs7 = errors;
if(!((typeof data3 == "number") && (!(data3 % 1) && !isNaN(data3)))){
validate30.errors = [{instancePath:instancePath+"/seq",schemaPath:"#/properties/seq/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs7){
if(typeof data3 == "number"){
if(data3 > 9007199254740991 || isNaN(data3)){
validate30.errors = [{instancePath:instancePath+"/seq",schemaPath:"#/properties/seq/maximum",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991},message:"must be <= 9007199254740991"}];
return false;
}
else {
if(data3 < 1 || isNaN(data3)){
validate30.errors = [{instancePath:instancePath+"/seq",schemaPath:"#/properties/seq/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"}];
return false;
}
}
}
}
var valid0 = _errs7 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.payload !== undefined){
let data4 = data.payload;
const _errs9 = errors;
const _errs10 = errors;
if(errors === _errs10){
if(data4 && typeof data4 == "object" && !Array.isArray(data4)){
let missing1;
if((data4.due_count === undefined) && (missing1 = "due_count")){
validate30.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/ReviewReminderPayload/required",keyword:"required",params:{missingProperty: missing1},message:"must have required property '"+missing1+"'"}];
return false;
}
else {
const _errs12 = errors;
for(const key1 in data4){
if(!(((key1 === "due_count") || (key1 === "book_id")) || (key1 === "message"))){
validate30.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/ReviewReminderPayload/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key1},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs12 === errors){
if(data4.due_count !== undefined){
let data5 = data4.due_count;
const _errs13 = errors;
if(!((typeof data5 == "number") && (!(data5 % 1) && !isNaN(data5)))){
validate30.errors = [{instancePath:instancePath+"/payload/due_count",schemaPath:"#/$defs/ReviewReminderPayload/properties/due_count/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs13){
if(typeof data5 == "number"){
if(data5 > 9007199254740991 || isNaN(data5)){
validate30.errors = [{instancePath:instancePath+"/payload/due_count",schemaPath:"#/$defs/ReviewReminderPayload/properties/due_count/maximum",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991},message:"must be <= 9007199254740991"}];
return false;
}
else {
if(data5 < 1 || isNaN(data5)){
validate30.errors = [{instancePath:instancePath+"/payload/due_count",schemaPath:"#/$defs/ReviewReminderPayload/properties/due_count/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"}];
return false;
}
}
}
}
var valid2 = _errs13 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data4.book_id !== undefined){
let data6 = data4.book_id;
const _errs15 = errors;
if(errors === _errs15){
if(errors === _errs15){
if(typeof data6 === "string"){
if(!(formats0.test(data6))){
validate30.errors = [{instancePath:instancePath+"/payload/book_id",schemaPath:"#/$defs/ReviewReminderPayload/properties/book_id/format",keyword:"format",params:{format: "uuid"},message:"must match format \""+"uuid"+"\""}];
return false;
}
}
else {
validate30.errors = [{instancePath:instancePath+"/payload/book_id",schemaPath:"#/$defs/ReviewReminderPayload/properties/book_id/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
}
var valid2 = _errs15 === errors;
}
else {
var valid2 = true;
}
if(valid2){
if(data4.message !== undefined){
let data7 = data4.message;
const _errs17 = errors;
if(errors === _errs17){
if(typeof data7 === "string"){
if(func1(data7) > 1000){
validate30.errors = [{instancePath:instancePath+"/payload/message",schemaPath:"#/$defs/ReviewReminderPayload/properties/message/maxLength",keyword:"maxLength",params:{limit: 1000},message:"must NOT have more than 1000 characters"}];
return false;
}
}
else {
validate30.errors = [{instancePath:instancePath+"/payload/message",schemaPath:"#/$defs/ReviewReminderPayload/properties/message/type",keyword:"type",params:{type: "string"},message:"must be string"}];
return false;
}
}
var valid2 = _errs17 === errors;
}
else {
var valid2 = true;
}
}
}
}
}
}
else {
validate30.errors = [{instancePath:instancePath+"/payload",schemaPath:"#/$defs/ReviewReminderPayload/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
var valid0 = _errs9 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
}
}
}
else {
validate30.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate30.errors = vErrors;
return errors === 0;
}
validate30.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const client_ack = validate31;
const schema50 = {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"type":{"const":"ack"},"seq":{"type":"integer","minimum":1,"maximum":9007199254740991}},"required":["type","seq"],"additionalProperties":false};

function validate31(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate31.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if(((data.type === undefined) && (missing0 = "type")) || ((data.seq === undefined) && (missing0 = "seq"))){
validate31.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!((key0 === "type") || (key0 === "seq"))){
validate31.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.type !== undefined){
const _errs2 = errors;
if("ack" !== data.type){
validate31.errors = [{instancePath:instancePath+"/type",schemaPath:"#/properties/type/const",keyword:"const",params:{allowedValue: "ack"},message:"must be equal to constant"}];
return false;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.seq !== undefined){
let data1 = data.seq;
const _errs3 = errors;
if(!((typeof data1 == "number") && (!(data1 % 1) && !isNaN(data1)))){
validate31.errors = [{instancePath:instancePath+"/seq",schemaPath:"#/properties/seq/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs3){
if(typeof data1 == "number"){
if(data1 > 9007199254740991 || isNaN(data1)){
validate31.errors = [{instancePath:instancePath+"/seq",schemaPath:"#/properties/seq/maximum",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991},message:"must be <= 9007199254740991"}];
return false;
}
else {
if(data1 < 1 || isNaN(data1)){
validate31.errors = [{instancePath:instancePath+"/seq",schemaPath:"#/properties/seq/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"}];
return false;
}
}
}
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
else {
validate31.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate31.errors = vErrors;
return errors === 0;
}
validate31.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const client_ping = validate32;
const schema51 = {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"type":{"const":"ping"}},"required":["type"],"additionalProperties":false};

function validate32(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate32.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if((data.type === undefined) && (missing0 = "type")){
validate32.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!(key0 === "type")){
validate32.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.type !== undefined){
if("ping" !== data.type){
validate32.errors = [{instancePath:instancePath+"/type",schemaPath:"#/properties/type/const",keyword:"const",params:{allowedValue: "ping"},message:"must be equal to constant"}];
return false;
}
}
}
}
}
else {
validate32.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate32.errors = vErrors;
return errors === 0;
}
validate32.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};

const client_read = validate33;
const schema52 = {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{"type":{"const":"read"},"seq":{"type":"integer","minimum":1,"maximum":9007199254740991}},"required":["type","seq"],"additionalProperties":false};

function validate33(data, {instancePath="", parentData, parentDataProperty, rootData=data, dynamicAnchors={}}={}){
let vErrors = null;
let errors = 0;
const evaluated0 = validate33.evaluated;
if(evaluated0.dynamicProps){
evaluated0.props = undefined;
}
if(evaluated0.dynamicItems){
evaluated0.items = undefined;
}
if(errors === 0){
if(data && typeof data == "object" && !Array.isArray(data)){
let missing0;
if(((data.type === undefined) && (missing0 = "type")) || ((data.seq === undefined) && (missing0 = "seq"))){
validate33.errors = [{instancePath,schemaPath:"#/required",keyword:"required",params:{missingProperty: missing0},message:"must have required property '"+missing0+"'"}];
return false;
}
else {
const _errs1 = errors;
for(const key0 in data){
if(!((key0 === "type") || (key0 === "seq"))){
validate33.errors = [{instancePath,schemaPath:"#/additionalProperties",keyword:"additionalProperties",params:{additionalProperty: key0},message:"must NOT have additional properties"}];
return false;
break;
}
}
if(_errs1 === errors){
if(data.type !== undefined){
const _errs2 = errors;
if("read" !== data.type){
validate33.errors = [{instancePath:instancePath+"/type",schemaPath:"#/properties/type/const",keyword:"const",params:{allowedValue: "read"},message:"must be equal to constant"}];
return false;
}
var valid0 = _errs2 === errors;
}
else {
var valid0 = true;
}
if(valid0){
if(data.seq !== undefined){
let data1 = data.seq;
const _errs3 = errors;
if(!((typeof data1 == "number") && (!(data1 % 1) && !isNaN(data1)))){
validate33.errors = [{instancePath:instancePath+"/seq",schemaPath:"#/properties/seq/type",keyword:"type",params:{type: "integer"},message:"must be integer"}];
return false;
}
if(errors === _errs3){
if(typeof data1 == "number"){
if(data1 > 9007199254740991 || isNaN(data1)){
validate33.errors = [{instancePath:instancePath+"/seq",schemaPath:"#/properties/seq/maximum",keyword:"maximum",params:{comparison: "<=", limit: 9007199254740991},message:"must be <= 9007199254740991"}];
return false;
}
else {
if(data1 < 1 || isNaN(data1)){
validate33.errors = [{instancePath:instancePath+"/seq",schemaPath:"#/properties/seq/minimum",keyword:"minimum",params:{comparison: ">=", limit: 1},message:"must be >= 1"}];
return false;
}
}
}
}
var valid0 = _errs3 === errors;
}
else {
var valid0 = true;
}
}
}
}
}
else {
validate33.errors = [{instancePath,schemaPath:"#/type",keyword:"type",params:{type: "object"},message:"must be object"}];
return false;
}
}
validate33.errors = vErrors;
return errors === 0;
}
validate33.evaluated = {"props":true,"dynamicProps":false,"dynamicItems":false};


/** One problem ajv found: where (a JSON pointer into the frame) and what. */
export interface ValidationError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly message?: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** Whether a frame is valid against its type's schema; the problems are left in `errors`. */
export interface FrameValidator {
  (frame: unknown): boolean;
  errors?: readonly ValidationError[] | null;
}

/** A validator for each message type the hub sends, by `type`. */
export const SERVER_MESSAGE_VALIDATORS: Readonly<Record<string, FrameValidator>> = {
  book_ready: server_book_ready,
  connection_established: server_connection_established,
  error: server_error,
  learning_update: server_learning_update,
  notification: server_notification,
  ocr_progress: server_ocr_progress,
  pong: server_pong,
  read_receipt: server_read_receipt,
  review_reminder: server_review_reminder,
};

/** A validator for each frame type a client sends, by `type`. */
export const CLIENT_FRAME_VALIDATORS: Readonly<Record<string, FrameValidator>> = {
  ack: client_ack,
  ping: client_ping,
  read: client_read,
};
