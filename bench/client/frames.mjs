// Reading the fields the checks need from a notification frame without parsing all of its JSON:
// the payload message "<phase>:<n>" and the optional "seq". Anything else falls back to JSON.parse.

const MESSAGE = Buffer.from('"message":"');
const SEQ = Buffer.from('"seq":');
const NOTIFICATION = Buffer.from('"type":"notification"');
const COLON = 0x3a;
const QUOTE = 0x22;

/** {phaseId, n, seq} of a notification frame (seq undefined when absent), or null for other frames. */
export function readNotification(data) {
  const at = data.indexOf(MESSAGE);
  if (at >= 0 && data.indexOf(NOTIFICATION) >= 0) {
    const phase = digits(data, at + MESSAGE.length, COLON);
    const n = phase && digits(data, phase.end + 1, QUOTE);
    if (n) return { phaseId: phase.value, n: n.value, seq: seqOf(data) };
  }
  return parsed(JSON.parse(data));
}

function parsed(frame) {
  if (frame.type !== "notification") return null;
  const [phaseId, n] = String(frame.payload.message).split(":").map(Number);
  return { phaseId, n, seq: frame.seq };
}

function seqOf(data) {
  const at = data.indexOf(SEQ);
  if (at < 0) return undefined;
  let value = 0;
  for (let i = at + SEQ.length; i < data.length && data[i] >= 0x30 && data[i] <= 0x39; i += 1) {
    value = value * 10 + data[i] - 0x30;
  }
  return value;
}

/** The decimal number at data[start..] ended by the byte `end`, or null. */
function digits(data, start, end) {
  let value = 0;
  let i = start;
  for (; i < data.length && data[i] >= 0x30 && data[i] <= 0x39; i += 1) value = value * 10 + data[i] - 0x30;
  return i > start && data[i] === end ? { value, end: i } : null;
}
