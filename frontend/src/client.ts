/**
 * The WebSocket client: one connection to the hub, as an explicit state machine.
 *
 *   idle ──connect()──> connecting ──connection_established──> open
 *                           │                                   │ socket closed, link dead
 *                           └──────────────┬────────────────────┘
 *                                          v
 *                     reconnecting (backoff; then a new socket; stays here until open)
 *
 *   any state ──disconnect(), a "stop" close code, the token refused (twice, or past maxReconnectAttempts),
 *               a hub that speaks none of the client's protocol versions──> closed
 *   closed ──connect()──> connecting
 *
 * `open` means the hub confirmed the connection with `connection_established`, not merely that
 * the socket opened; the backoff attempt number and the refusal count reset there too.
 *
 * Transient failures (1013, a hub restarting or down, no network, a handshake refused while the
 * token is fine) never stop the client: it keeps `reconnecting`, with backoff. Only refusals that
 * more attempts cannot cure stop it (closePolicy.ts).
 *
 * The decisions (backoff, what a close code means, parsing frames) are plain functions in their
 * own modules; this class only wires them to a socket, timers and events. Every listener and timer
 * is registered in one of two `Disposers`: `#socketScope` (the current socket's listeners and its
 * heartbeat) and `#session` (from `connect()` until `closed`: the reconnect timer, the online and
 * visibility listeners). Closing runs both.
 *
 * Delivery: before the handlers see a message, its `seq` is checked against the client's place in
 * the user's stream (streamPosition.ts: duplicates are dropped); after them, it is acknowledged
 * (`ack` and `read` frames go through cursorSender.ts, coalesced and resent after a reconnect);
 * readState.ts keeps the cursors an unread badge is drawn from.
 */
import { checkAuth, authCheckUrlFor } from "./authCheck.js";
import { backoffDelay, delayAfterHint } from "./backoff.js";
import { StopReason, closeCodeName, decideAfterAuthCheck, decideAfterClose } from "./closePolicy.js";
import { CursorSender } from "./cursorSender.js";
import { Disposers } from "./disposers.js";
import {
  WEBSOCKET_OPEN,
  defaultFetch,
  defaultOnlineTarget,
  defaultUrl,
  defaultVisibilityTarget,
  defaultWebSocket,
  globalClock,
  type Clock,
  type EventTargetLike,
  type FetchLike,
  type Logger,
  type VisibilityTargetLike,
  type WebSocketConstructor,
  type WebSocketLike,
} from "./environment.js";
import { NotifyhubClientError } from "./errors.js";
import { parseFrame, type ServerMessageValidators } from "./frames.js";
import {
  DEFAULT_CLIENT_OPTIONS,
  type ClientOptions,
  type ConnectionState,
  type StateChange,
  type StateListener,
  type TokenSource,
} from "./options.js";
import { startHeartbeat, type Heartbeat } from "./heartbeat.js";
import {
  ReadStateStore,
  readStateOnEstablished,
  readStateWith,
  type ReadState,
  type ReadStateListener,
} from "./readState.js";
import { classifySeq, positionAfter, positionOnEstablished, type StreamPosition } from "./streamPosition.js";
import {
  BEARER_SUBPROTOCOL_PREFIX,
  CloseCode,
  SUBPROTOCOL,
  type AnyMessageHandler,
  type ClientFrame,
  type ConnectionEstablishedPayload,
  type ErrorCode,
  type LocalErrorMessage,
  type MessageHandler,
  type ServerMessage,
  type ServerMessageType,
} from "./types.js";


type StoredHandler = (payload: unknown, message: ServerMessage) => void;

export class NotifyhubClient {
  readonly #options: ClientOptions;
  readonly #clock: Clock;
  readonly #logger: Logger;

  #state: ConnectionState = "idle";
  readonly #stateListeners = new Set<StateListener>();
  readonly #handlers = new Map<string, Set<StoredHandler>>();
  readonly #allHandlers = new Set<AnyMessageHandler>();
  /** Message types from a newer hub already logged, so each is logged once. */
  readonly #unknownTypes = new Set<string>();

  #getToken: (() => Promise<string>) | undefined;
  /** The token of the latest socket, for the auth-check. */
  #lastToken = "";
  /** Bumped whenever an attempt starts or the client stops: a stale async step sees the change and quits. */
  #generation = 0;
  /** Reconnects since the hub last confirmed a connection: the backoff's attempt number. */
  #attempts = 0;
  /** Refusals more attempts cannot cure (auth-checks answered 401) since the hub last confirmed a connection. */
  #refusals = 0;
  /** Before this time (clock ms) the hub asked not to be tried again (`retry_after`); 0 when it did not. */
  #notBefore = 0;
  /** The versions the hub said it speaks, when it refused this client's (`unsupported_protocol`). */
  #supportedProtocols: readonly string[] | undefined;
  /** The last message handed to handlers; survives reconnects (and `disconnect()`, for the next `connect()`). */
  #position: StreamPosition | undefined;
  /** With `validateFrames`: the generated validators, loaded before the first socket opens. */
  #validators: ServerMessageValidators | undefined;
  readonly #readState: ReadStateStore;
  readonly #acks: CursorSender;
  readonly #reads: CursorSender;

  readonly #session = new Disposers();
  readonly #socketScope = new Disposers();
  #socket: WebSocketLike | undefined;
  #heartbeat: Heartbeat | undefined;
  #cancelReconnectTimer: (() => void) | undefined;

  constructor(options: ClientOptions = {}) {
    // No side effects here: React may construct a client and throw it away.
    this.#options = options;
    this.#clock = options.clock ?? globalClock;
    this.#logger = options.logger ?? console;
    this.#readState = new ReadStateStore((error) => this.#logger.error("notifyhub: a read state listener threw", error));
    this.#acks = new CursorSender({
      type: "ack",
      clock: this.#clock,
      delay: this.#option("ackDelay"),
      send: (frame) => this.#sendCursor(frame, { ackedSeq: frame.seq }),
    });
    // A read is a user's action and rare: sent at once.
    this.#reads = new CursorSender({
      type: "read",
      clock: this.#clock,
      delay: null,
      send: (frame) => this.#sendCursor(frame, { readSeq: frame.seq }),
    });
  }

  /** The current state. */
  get state(): ConnectionState {
    return this.#state;
  }

  /**
   * The protocol versions the hub speaks, once it refused every version this client offers
   * (the client then stopped in `closed` with reason `unsupported_protocol`: a new build of the
   * app is needed); undefined otherwise.
   */
  get supportedProtocols(): readonly string[] | undefined {
    return this.#supportedProtocols;
  }

  /** Listen to state changes; returns the function that stops listening. */
  onStateChange(listener: StateListener): () => void {
    this.#stateListeners.add(listener);
    return () => void this.#stateListeners.delete(listener);
  }

  /**
   * Call `handler` with the payload of every message of `type`, narrowed by the literal:
   * `subscribe("ocr_progress", (p) => p.processed_pages)`. Returns the unsubscribe function.
   * Subscriptions belong to the client, not to a socket: they survive reconnects. A handler that
   * throws is logged; the other handlers still run.
   */
  subscribe<T extends ServerMessageType>(type: T, handler: MessageHandler<T>): () => void {
    let handlers = this.#handlers.get(type);
    if (handlers === undefined) this.#handlers.set(type, (handlers = new Set()));
    const stored = handler as StoredHandler;
    handlers.add(stored);
    return () => void handlers.delete(stored);
  }

  /** Call `handler` with every message, after the handlers of its type. Returns the unsubscribe function. */
  subscribeAll(handler: AnyMessageHandler): () => void {
    this.#allHandlers.add(handler);
    return () => void this.#allHandlers.delete(handler);
  }

  /**
   * Start connecting, from `idle` or `closed`. `token` replaces the token source; a function is
   * called before every (re)connect, so an expired token is replaced without the app's help. In
   * any other state this only replaces the token source, used from the next reconnect on.
   *
   * The socket opens after the token resolves (at least one microtask later), so a `connect()`
   * followed at once by `disconnect()` (React strict mode's double effect) opens no socket.
   *
   * @throws NotifyhubClientError when there is no token source yet, no URL, or no WebSocket.
   */
  connect(token?: TokenSource): void {
    if (token !== undefined) this.#getToken = tokenGetter(token);
    if (this.#getToken === undefined) {
      throw new NotifyhubClientError("no_token", "connect() needs a token or getToken the first time");
    }
    if (this.#state !== "idle" && this.#state !== "closed") return;
    this.#url(); // fail now, not inside a timer
    this.#webSocketConstructor();
    this.#attempts = 0;
    this.#refusals = 0;
    this.#notBefore = 0;
    this.#supportedProtocols = undefined;
    this.#watchEnvironment();
    this.#setState("connecting", null, "");
    void this.#openSocket();
  }

  /** Close the connection (code 1000) and stop in `closed`; nothing reconnects. Safe to call in any state. */
  disconnect(): void {
    if (this.#state === "idle" || this.#state === "closed") return;
    this.#stop(CloseCode.NORMAL_CLOSURE, StopReason.DISCONNECTED);
  }

  /**
   * Acknowledge every message up to `seq` (from a handler's `message.seq`): the user's
   * connections that open without `since` (a new device) no longer receive them. Needed with
   * `ack: "manual"`; harmless with `"auto"`. Coalesced like automatic acks (`ackDelay`); when
   * there is no connection, sent after the next one opens, if the stream is still the same.
   *
   * @throws NotifyhubClientError when `seq` is not a positive integer.
   */
  ack(seq: number): void {
    if (!this.#checkCursor("ack", seq, this.#position?.seq ?? 0)) return;
    this.#acks.advance(seq);
  }

  /**
   * Mark every message up to `seq` read (default: every message known, `readState.lastSeq`).
   * `readState` changes at once; the hub records it and sends `read_receipt` to the user's
   * other connections so every tab clears its badge. Sent at once when connected; otherwise
   * after the next connection opens, if the stream is still the same.
   *
   * @throws NotifyhubClientError when `seq` is not a positive integer.
   */
  markRead(seq: number = this.#readState.current.lastSeq): void {
    if (seq === 0 && this.#readState.current.lastSeq === 0) return; // nothing to read yet
    if (!this.#checkCursor("markRead", seq, this.#readState.current.lastSeq)) return;
    this.#readState.update((state) => readStateWith(state, { readSeq: seq }));
    this.#reads.advance(seq);
  }

  /** How far the user's stream goes and how far it was acknowledged and read, for a badge. */
  get readState(): ReadState {
    return this.#readState.current;
  }

  /** Listen to `readState` changes; returns the function that stops listening. */
  onReadStateChange(listener: ReadStateListener): () => void {
    return this.#readState.subscribe(listener);
  }

  /** Send a frame (`ping`, `ack`, `read`) if the socket is open; false when it is not. */
  send(frame: ClientFrame): boolean {
    const socket = this.#socket;
    if (socket === undefined || socket.readyState !== WEBSOCKET_OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  // -- connecting ---------------------------------------------------------------------------

  async #openSocket(): Promise<void> {
    const generation = ++this.#generation;
    if (this.#option("validateFrames") && this.#validators === undefined) {
      await this.#loadValidators();
      if (generation !== this.#generation) return; // disconnect() or another attempt came first
    }
    let token: string;
    try {
      token = await this.#getToken!();
      if (typeof token !== "string" || token === "") throw new Error("getToken returned no token");
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#logger.warn("notifyhub: getToken failed; retrying with backoff", error);
      this.#reconnect(null, "getToken failed");
      return;
    }
    if (generation !== this.#generation) return; // disconnect() or another attempt came first
    this.#lastToken = token;

    const { url, protocols } = this.#target(token);
    let socket: WebSocketLike;
    try {
      socket = new (this.#webSocketConstructor())(url, protocols);
    } catch (error) {
      // A bad URL or a blocked scheme: retrying cannot help.
      this.#logger.error("notifyhub: cannot create the WebSocket", error);
      this.#stop(null, `cannot create the WebSocket: ${(error as Error).message}`);
      return;
    }
    this.#socket = socket;
    this.#listenTo(socket);
  }

  /**
   * Load the generated validators (`validateFrames`). A dynamic import, so bundlers put them in a
   * chunk of their own that an app without the option never downloads. A failed load is logged
   * and frames go unchecked: a development aid must not keep the app offline.
   */
  async #loadValidators(): Promise<void> {
    try {
      this.#validators = (await import("./validators.js")).SERVER_MESSAGE_VALIDATORS;
    } catch (error) {
      this.#logger.error("notifyhub: cannot load the frame validators (validateFrames); frames go unchecked", error);
    }
  }

  #listenTo(socket: WebSocketLike): void {
    const scope = this.#socketScope;
    let opened = false;
    // The close event that follows an error says what to do. This listener is never removed:
    // Node's `ws` throws on an "error" nobody listens to, even after we stopped caring.
    socket.addEventListener("error", () => {});
    scope.listen(socket, "open", () => {
      opened = true;
      this.#heartbeat = startHeartbeat({
        clock: this.#clock,
        disposers: scope,
        interval: this.#option("heartbeatInterval"),
        timeout: this.#option("heartbeatTimeout"),
        sendPing: () => this.send({ type: "ping" }),
        onDead: () => {
          const reason = "heartbeat timeout";
          this.#logger.warn(`notifyhub: no frame from the hub in time (${reason}); reconnecting`);
          this.#dropSocket(CloseCode.HEARTBEAT_TIMEOUT, reason);
          this.#reconnect(CloseCode.HEARTBEAT_TIMEOUT, reason);
        },
      });
    });
    scope.listen(socket, "message", (event: { data: unknown }) => this.#receive(event.data));
    scope.listen(socket, "close", (event: { code: number; reason: string }) => {
      this.#dropSocket();
      this.#socketClosed(event.code, event.reason, opened);
    });
  }

  /** The URL and subprotocols of the next socket. */
  #target(token: string): { url: string; protocols: string[] } {
    const url = new URL(this.#url());
    if (this.#option("resume") && this.#position !== undefined) {
      url.searchParams.set("since", `${this.#position.epoch}:${this.#position.seq}`);
      if (this.#position.id !== undefined) url.searchParams.set("since_id", this.#position.id);
    }
    if (this.#option("tokenTransport") === "query") {
      url.searchParams.set("token", token);
      return { url: url.toString(), protocols: [SUBPROTOCOL] };
    }
    return { url: url.toString(), protocols: [SUBPROTOCOL, `${BEARER_SUBPROTOCOL_PREFIX}${token}`] };
  }

  // -- receiving ----------------------------------------------------------------------------

  #receive(data: unknown): void {
    this.#heartbeat?.frameReceived(); // any frame, even a bad one, shows the link is alive
    const parsed = parseFrame(data, this.#validators);
    switch (parsed.kind) {
      case "invalid":
        this.#invalidFrame(parsed.error, data);
        return;
      case "unknown_type":
        this.#unknownType(parsed.type);
        this.#inStream(parsed.type, parsed.seq, parsed.id, () => {});
        return;
      case "message": {
        const message = parsed.message;
        if (message.type === "connection_established") this.#established(message.payload);
        if (message.type === "read_receipt") this.#readReceipt(message.payload.read_seq);
        this.#inStream(message.type, "seq" in message ? message.seq : undefined, message.id, () => this.#dispatch(message));
        return;
      }
    }
  }

  /**
   * Hand a message over (`handOver`) unless its `seq` was handled already, keeping the place in
   * the stream and the read state; then acknowledge it (with `ack: "auto"`): only once the app has
   * had it.
   */
  #inStream(type: string, seq: number | undefined, id: string | undefined, handOver: () => void): void {
    if (seq !== undefined) {
      if (!this.#accept(type, seq, id)) return;
      this.#readState.update((state) => readStateWith(state, { lastSeq: seq }));
    }
    handOver();
    if (seq !== undefined && this.#option("ack") === "auto") this.#acks.advance(seq);
  }

  /**
   * A frame that is not a message, or (with `validateFrames`) breaks its schema: logged and
   * dropped; with `validateFrames`, also reported to `error` subscribers, never thrown.
   */
  #invalidFrame(error: string, data: unknown): void {
    this.#logger.warn(`notifyhub: skipped a frame (${error})`, data);
    if (!this.#option("validateFrames")) return;
    this.#dispatch(this.#localError("invalid_frame", `skipped a frame: ${error}`, { error }, "invalid_message"));
  }

  /**
   * A type from a newer protocol version: ignored (no handler can be typed for it), logged once
   * per type, and still counted and acknowledged when it has a `seq`, so it is not replayed.
   */
  #unknownType(type: string): void {
    if (this.#unknownTypes.has(type)) return;
    this.#unknownTypes.add(type);
    this.#logger.warn(`notifyhub: ignoring messages of type "${type}", which this client does not know (a newer hub?)`);
  }

  /** Whether the message numbered `seq` goes to the handlers (see streamPosition.ts); moves the position. */
  #accept(type: string, seq: number, id: string | undefined): boolean {
    const position = this.#position;
    if (position === undefined) return true; // before any connection_established: cannot judge
    const verdict = classifySeq(position, seq);
    if (verdict === "duplicate") {
      this.#logger.debug?.(`notifyhub: dropped a duplicate "${type}" (seq ${seq}, already handled up to ${position.seq})`);
      return false;
    }
    if (verdict === "conflated") {
      this.#logger.debug?.(`notifyhub: seqs ${position.seq + 1}..${seq - 1} were conflated away in the replay (superseded by later messages)`);
    }
    if (verdict === "gap") {
      this.#logger.warn(`notifyhub: seq jumped from ${position.seq} to ${seq}: the hub skipped messages; handing this one over`);
    }
    this.#position = positionAfter(position, seq, id);
    return true;
  }

  #established(payload: ConnectionEstablishedPayload): void {
    this.#attempts = 0;
    this.#refusals = 0;
    this.#position = positionOnEstablished(this.#position, payload);
    this.#readState.update((state) => readStateOnEstablished(state, payload));
    // Cursors not sent before (or lost with the old socket) go out now, if still relevant.
    this.#acks.established(payload.epoch, payload.acked_seq, this.#socketScope);
    this.#reads.established(payload.epoch, payload.read_seq, this.#socketScope);
    this.#setState("open", null, "");
  }

  /** Another connection of the user marked messages read. */
  #readReceipt(readSeq: number): void {
    this.#reads.reported(readSeq);
    this.#readState.update((state) => readStateWith(state, { readSeq }));
  }

  #sendCursor(frame: ClientFrame, moved: { ackedSeq?: number; readSeq?: number }): boolean {
    if (!this.send(frame)) return false;
    this.#readState.update((state) => readStateWith(state, moved));
    return true;
  }

  /** Whether `seq` may be sent as a cursor: up to the last one this client knows of. */
  #checkCursor(method: string, seq: number, last: number): boolean {
    if (!Number.isInteger(seq) || seq < 1) {
      throw new NotifyhubClientError("invalid_seq", `${method}(${seq}): seq must be a positive integer`);
    }
    if (seq > last) {
      // Most likely a seq of a stream the hub has since reset: it means nothing in this one.
      this.#logger.warn(`notifyhub: ${method}(${seq}) ignored: past the last seq this client knows (${last})`);
      return false;
    }
    return true;
  }

  #dispatch(message: ServerMessage): void {
    for (const handler of [...(this.#handlers.get(message.type) ?? [])]) {
      this.#call(message.type, () => handler(message.payload, message));
    }
    for (const handler of [...this.#allHandlers]) {
      this.#call(message.type, () => handler(message));
    }
  }

  #call(type: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.#logger.error(`notifyhub: a handler of "${type}" threw`, error);
    }
  }

  // -- closing and reconnecting -------------------------------------------------------------

  /** Forget the current socket: its listeners and heartbeat go; with a code, the socket is closed too. */
  #dropSocket(code?: number, reason?: string): void {
    const socket = this.#socket;
    this.#socket = undefined;
    this.#heartbeat = undefined;
    this.#socketScope.run();
    if (socket !== undefined && code !== undefined) {
      try {
        socket.close(code, reason);
      } catch (error) {
        this.#logger.warn("notifyhub: closing the socket failed", error);
      }
    }
  }

  #socketClosed(code: number, reason: string, opened: boolean): void {
    const decision = decideAfterClose(code, reason, opened, this.#authCheck() !== undefined);
    switch (decision.action) {
      case "reconnect":
        this.#reconnect(code, reason || closeCodeName(code) || "", decision.retryAfter);
        return;
      case "stop":
        this.#stop(code, decision.reason);
        return;
      case "check-auth":
        this.#setState("reconnecting", code, reason);
        void this.#checkAuthThenReconnect(code, reason);
        return;
    }
  }

  /**
   * The handshake failed; ask the auth-check whether the protocol version or the token is the
   * problem (`decideAfterAuthCheck`): another version stops the client in
   * `closed: unsupported_protocol`; a 401 allows one more attempt, with a token from a fresh
   * `getToken` call, and stops the client in `closed: unauthorized` when that one is refused too. Any other
   * answer (the token is fine, or the hub cannot be asked): a transient failure, retried with
   * backoff for as long as it takes.
   */
  async #checkAuthThenReconnect(code: number, reason: string): Promise<void> {
    const generation = this.#generation;
    const { fetch, url } = this.#authCheck()!;
    const { result, supported } = await checkAuth(fetch, url, this.#lastToken, [SUBPROTOCOL]);
    if (generation !== this.#generation) return;
    if (result === "unauthorized") this.#refusals += 1;
    const max = this.#option("maxReconnectAttempts");
    const decision = decideAfterAuthCheck(result, this.#refusals, max);
    switch (decision.action) {
      case "reconnect":
        this.#reconnect(code, decision.refused ? StopReason.UNAUTHORIZED : reason);
        return;
      case "stop":
        if (decision.reason === StopReason.UNSUPPORTED_PROTOCOL) {
          this.#unsupportedProtocol(supported);
          return;
        }
        this.#stop(CloseCode.UNAUTHORIZED, decision.reason);
        if (decision.reason === StopReason.RECONNECT_ATTEMPTS_EXHAUSTED) {
          this.#dispatch(this.#localError(decision.reason,
            `gave up reconnecting after ${this.#refusals} refusals in a row`, { refusals: this.#refusals }));
        }
        return;
    }
  }

  /** The hub speaks other versions than this client: stop, and say which to `error` subscribers. */
  #unsupportedProtocol(supported: readonly string[]): void {
    const text = `the hub speaks ${supported.join(", ") || "no version named"}, this client ${SUBPROTOCOL}; not reconnecting`;
    this.#logger.error(`notifyhub: ${text}`);
    this.#supportedProtocols = supported;
    this.#stop(null, StopReason.UNSUPPORTED_PROTOCOL);
    this.#dispatch(this.#localError(StopReason.UNSUPPORTED_PROTOCOL, text, { supported: [...supported], offered: [SUBPROTOCOL] }));
  }

  /**
   * Schedule the next attempt after a backoff delay: at least `retryAfter` ms when the hub gave
   * that hint. The attempt number grows with every failure, so the delay reaches
   * `maxReconnectInterval`; it starts again when the hub confirms a connection.
   */
  #reconnect(code: number | null, reason: string, retryAfter?: number): void {
    const backoff = {
      base: this.#option("reconnectInterval"),
      cap: this.#option("maxReconnectInterval"),
      ...(this.#options.random === undefined ? {} : { random: this.#options.random }),
    };
    const delay = retryAfter === undefined
      ? backoffDelay(this.#attempts, backoff)
      : delayAfterHint(this.#attempts, retryAfter, backoff);
    this.#notBefore = retryAfter === undefined ? 0 : this.#clock.now() + Math.min(retryAfter, backoff.cap);
    this.#attempts += 1;
    this.#setState("reconnecting", code, reason);
    this.#cancelReconnectTimer = this.#session.timeout(this.#clock, delay, () => {
      this.#cancelReconnectTimer = undefined;
      void this.#openSocket();
    });
  }

  /** The end of a session: close everything, then announce `closed`. */
  #stop(code: number | null, reason: string): void {
    this.#generation += 1;
    this.#dropSocket(CloseCode.NORMAL_CLOSURE, reason);
    this.#session.run();
    this.#cancelReconnectTimer = undefined;
    this.#setState("closed", code, reason);
  }

  // -- the browser around us ----------------------------------------------------------------

  /** Come back at once when the browser is online again or the tab visible; probe an open link. */
  #watchEnvironment(): void {
    const online = this.#options.onlineTarget === undefined ? defaultOnlineTarget() : this.#options.onlineTarget;
    if (online) this.#session.listen(online, "online", () => this.#wake());
    const visibility = this.#options.visibilityTarget === undefined
      ? defaultVisibilityTarget()
      : this.#options.visibilityTarget;
    if (visibility) {
      this.#session.listen(visibility, "visibilitychange", () => {
        if (visibility.visibilityState === "visible") this.#wake();
      });
    }
  }

  #wake(): void {
    // A hub that asked for time (`retry_after`) gets it, whatever the browser does meanwhile.
    if (this.#cancelReconnectTimer !== undefined && this.#clock.now() >= this.#notBefore) {
      this.#cancelReconnectTimer();
      this.#cancelReconnectTimer = undefined;
      void this.#openSocket();
    } else if (this.#state === "open") {
      this.#heartbeat?.probe(); // the socket may have died while the laptop slept
    }
  }

  // -- helpers ------------------------------------------------------------------------------

  #setState(current: ConnectionState, code: number | null, reason: string): void {
    const previous = this.#state;
    if (previous === current) return;
    this.#state = current;
    const change: StateChange = { previous, current, code, reason };
    for (const listener of [...this.#stateListeners]) {
      try {
        listener(change);
      } catch (error) {
        this.#logger.error("notifyhub: a state listener threw", error);
      }
    }
  }

  #localError(
    reason: string,
    text: string,
    details: Record<string, unknown>,
    code: ErrorCode = "internal",
  ): LocalErrorMessage {
    return {
      type: "error",
      id: localId(),
      timestamp: new Date(this.#clock.now()).toISOString(),
      payload: { code, message: text, details: { ...details, local: true, reason } },
    };
  }

  #option<K extends keyof typeof DEFAULT_CLIENT_OPTIONS>(name: K): NonNullable<ClientOptions[K]> {
    return (this.#options[name] ?? DEFAULT_CLIENT_OPTIONS[name]) as NonNullable<ClientOptions[K]>;
  }

  #url(): string {
    const url = this.#options.url ?? defaultUrl();
    if (url === undefined) throw new NotifyhubClientError("no_url", "no `url` given and no page location to derive it from");
    return url;
  }

  #webSocketConstructor(): WebSocketConstructor {
    const constructor = this.#options.WebSocket ?? defaultWebSocket();
    if (constructor === undefined) {
      throw new NotifyhubClientError("no_websocket", "no global WebSocket; pass `WebSocket` (e.g. from `ws`)");
    }
    return constructor;
  }

  #authCheck(): { fetch: FetchLike; url: string } | undefined {
    const fetch = this.#options.fetch === undefined ? defaultFetch() : this.#options.fetch;
    const url = this.#options.authCheckUrl === undefined ? authCheckUrlFor(this.#url()) : this.#options.authCheckUrl;
    return fetch && url ? { fetch, url } : undefined;
  }
}

/** A new, independent client. */
export function createClient(options: ClientOptions = {}): NotifyhubClient {
  return new NotifyhubClient(options);
}

function tokenGetter(source: TokenSource): () => Promise<string> {
  return typeof source === "string" ? async () => source : async () => source();
}

let localIds = 0;
function localId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  return crypto?.randomUUID?.() ?? `local-${++localIds}`;
}
