// What the harness asks the load client to do. Each operation answers one JSON object.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { Flood } from "./flood.mjs";
import { Phase } from "./phase.mjs";
import { ConnectionPool } from "./pool.mjs";
import { Publisher, notification } from "./publisher.mjs";
import { newUsers } from "./tokens.mjs";

const BATCH_PATH = "/api/v1/messages/batch";
const SINGLE_PATH = "/api/v1/messages";
const IN_PROCESS_PATH = "/bench/send_to_user";

export class Operations {
  constructor() {
    this.pool = new ConnectionPool();
    this.users = [];
    this.flood = new Flood();
  }

  /** Where to connect (wsUrl), where to publish (httpUrl), the credentials of both, and how many
   * publish requests targeted sends keep in flight (publishers). Several hubs: `wsUrls` spreads the
   * connections over them and `httpUrls` the publishers (publisher k publishes to hub k % hubs). */
  config({ secret, serviceKey, wsUrl, httpUrl, publishers = 1, wsUrls = [wsUrl], httpUrls = [httpUrl] }) {
    this.secret = secret;
    this.wsUrl = wsUrls[0];
    this.wsUrls = wsUrls;
    this.publishers = publishers;
    for (const publisher of this.hubPublishers ?? []) publisher.close();
    const perHub = Math.ceil(publishers / httpUrls.length);
    this.hubPublishers = httpUrls.map((url) => new Publisher(url, serviceKey, perHub));
    this.publisher = this.hubPublishers[0];
    return { ok: true };
  }

  /** Open `connections` connections spread over `users` fresh users (tokens minted before timing).
   * Connection i is tab t = floor(i / users) of its user; over several hubs, tab t of user u goes to
   * hub (u + t) % hubs, so a user's tabs sit on different hubs, as a load balancer spreads them. */
  async open({ connections, users, concurrency = 100, timeoutS = 30 }) {
    this.users = newUsers(users, this.secret);
    const hubs = this.wsUrls.length;
    const plan = Array.from({ length: connections }, (_, i) => ({
      user: i % users, token: this.users[i % users].token,
      wsUrl: this.wsUrls[(i % users + Math.floor(i / users)) % hubs],
    }));
    return this.pool.open(this.wsUrl, plan, concurrency, timeoutS * 1000);
  }

  async close() {
    await this.flood.stop();
    return this.pool.close();
  }

  /** H: `connections` more connections (users of their own) that flood in the background, each up
   * to `maxFrames` frames and `maxSeconds`, until `floodStop`; answers once all of them flood. */
  async floodStart({ connections, maxFrames, maxSeconds, timeoutS = 30 }) {
    const plan = newUsers(connections, this.secret).map(({ token }, user) => ({ user, token }));
    return this.flood.start(this.wsUrl, plan, { maxFrames, maxSeconds, timeoutMs: timeoutS * 1000 });
  }

  /** Stop the flood: frames sent, seconds, and flooders that stopped before being asked to. */
  async floodStop() {
    return this.flood.stop();
  }

  /** `messages` broadcasts, `perRequest` per publish request, sent back to back. */
  async broadcast({ messages, perRequest = 1, timeoutS = 30 }) {
    const phase = Phase.broadcast(messages, this.pool.connections);
    const request = (n) => ({ broadcast: true, message: notification(phase.text(n)) });
    return this.run(phase, perRequest, request, timeoutS);
  }

  /** `messages` sends, each to one random user of the pool, `perRequest` per publish request, from
   * `publishers` publishers in flight at once (each owns the users with index % publishers equal to
   * its own, so every user's messages still go out in one well-defined order); with `maxSeconds`,
   * publishing stops when that time is up and only what was published is expected; with
   * `ratePerSecond`, the publishers together publish at most that many messages a second. */
  async targeted({ messages, perRequest = 1, timeoutS = 30, maxSeconds = Infinity, ratePerSecond = Infinity }) {
    const phase = new Phase(this.randomTargets(messages), this.pool.connections);
    const request = (n) => ({ user_ids: [this.users[phase.targets[n]].id], message: notification(phase.text(n)) });
    const lanes = Array.from({ length: this.publishers }, () => []);
    phase.targets.forEach((user, n) => lanes[user % this.publishers].push(n));
    return this.run(phase, perRequest, request, timeoutS, performance.now() + maxSeconds * 1000, lanes,
      ratePerSecond);
  }

  /** The same random sends, made inside the server by its in-process API (one trigger request). */
  async inProcess({ messages, timeoutS = 30 }) {
    const phase = new Phase(this.randomTargets(messages), this.pool.connections);
    this.pool.phase = phase;
    const targets = Array.from(phase.targets, (user) => this.users[user].id);
    phase.markSent(phase.targets.keys(), performance.now());
    const failuresBefore = this.publisher.failures;
    await this.publisher.post(IN_PROCESS_PATH, { phase: phase.id, targets });
    phase.publishFailures = this.publisher.failures - failuresBefore;
    return this.finish(phase, timeoutS, 1);
  }

  /** F: `messages` sent to an offline user, then `rounds` connections resuming with since=<epoch>:0. */
  async replay({ messages, rounds = 1, perRequest = 1000, timeoutS = 30 }) {
    const [user] = (this.users = newUsers(1, this.secret));
    const plan = [{ user: 0, token: user.token }];
    await this.pool.open(this.wsUrl, plan, 1, timeoutS * 1000);
    const epoch = this.pool.connections[0].established.payload.epoch;
    await this.pool.close();
    const phase = new Phase(new Array(messages).fill(0));
    await this.send(phase, perRequest, (n) => ({ user_ids: [user.id], message: notification(phase.text(n)) }));
    const results = [];
    for (let round = 0; round < rounds; round += 1) {
      results.push(await this.resume(phase, { ...plan[0], query: `&since=${epoch}:0` }, timeoutS));
    }
    return { rounds: results };
  }

  async resume(sent, entry, timeoutS) {
    const phase = new Phase(sent.targets);
    phase.id = sent.id;
    this.pool.phase = phase;
    phase.markSent(phase.targets.keys(), performance.now());
    await this.pool.open(this.wsUrl, [entry], 1, timeoutS * 1000);
    phase.expect(this.pool.connections);
    const result = await this.finish(phase, timeoutS, 0);
    await this.pool.close();
    return result;
  }

  randomTargets(messages) {
    return Array.from({ length: messages }, () => Math.floor(Math.random() * this.users.length));
  }

  async run(phase, perRequest, request, timeoutS, deadline = Infinity, lanes = [[...phase.targets.keys()]],
    ratePerSecond = Infinity) {
    this.pool.phase = phase;
    const requests = await this.send(phase, perRequest, request, deadline, lanes, ratePerSecond);
    return this.finish(phase, timeoutS, requests);
  }

  /** Publish every message of phase: each lane (message indices, in order) is one publisher sending
   * perRequest at a time, each request after its previous answer, the lanes at once; one lane by
   * default, so publish order is message order. Lane k publishes to hub k % hubs. At `deadline` (a
   * performance.now() time) every lane stops, and the phase is cut to what was published. With
   * `ratePerSecond`, each lane paces itself to its share of that rate: a request waits for its
   * scheduled time; a lane that fell behind (a slow answer) sends at once until it is on time again. */
  async send(phase, perRequest, request, deadline = Infinity, lanes = [[...phase.targets.keys()]],
    ratePerSecond = Infinity) {
    const failuresBefore = this.publishFailures();
    const published = new Uint8Array(phase.targets.length);
    const started = performance.now();
    let requests = 0;
    const publish = async (lane, index) => {
      const publisher = this.hubPublishers[index % this.hubPublishers.length];
      const msPerMessage = 1000 / (ratePerSecond * (lane.length / phase.targets.length));
      for (let first = 0; first < lane.length && performance.now() < deadline; first += perRequest) {
        const due = started + first * msPerMessage;
        if (due > performance.now()) await sleep(Math.min(due, deadline) - performance.now());
        if (performance.now() >= deadline) break;
        const chunk = lane.slice(first, first + perRequest);
        phase.markSent(chunk, performance.now());
        if (perRequest === 1) {
          await publisher.post(SINGLE_PATH, request(chunk[0]));
        } else {
          await publisher.post(BATCH_PATH, { requests: chunk.map(request) });
        }
        for (const n of chunk) published[n] = 1;
        requests += 1;
      }
    };
    await Promise.all(lanes.map(publish));
    phase.keepOnly(published);
    phase.publishFailures = this.publishFailures() - failuresBefore;
    return requests;
  }

  publishFailures() {
    return this.hubPublishers.reduce((sum, publisher) => sum + publisher.failures, 0);
  }

  async finish(phase, timeoutS, requests) {
    const complete = await phase.completion(timeoutS * 1000);
    this.pool.phase = null;
    const closeCodes = this.pool.connections.filter((c) => c.closeCode !== null).map((c) => c.closeCode);
    return phase.result({ complete, requests, publishFailures: phase.publishFailures ?? 0,
      closedByServer: closeCodes.length, closeCodes: [...new Set(closeCodes)] });
  }
}
