/**
 * A browser's Web Push for tests driven by hand: a service worker container whose registration
 * activates when told, a push manager that keeps one subscription, a `Notification` permission
 * with the user's answer set by the test, and the hub's push API answering through `fetch`.
 * `calls` records every step in order, so a test can check what happened before what.
 */
import { generateKeyPairSync, randomBytes } from "node:crypto";
import type {
  HubFetch,
  NotificationPermissionLike,
  PushEnvironment,
  PushManagerLike,
  PushSubscriptionJSON,
  PushSubscriptionLike,
  ServiceWorkerLike,
  ServiceWorkerRegistrationLike,
} from "../../src/pushEnvironment.js";

/** A base64url uncompressed P-256 point (0x04 and 64 bytes), as the hub serves its VAPID key. */
export function vapidKey(fill: number): string {
  const bytes = new Uint8Array(65).fill(fill);
  bytes[0] = 0x04;
  return Buffer.from(bytes).toString("base64url");
}

/** The browser's half of a subscription's encryption: its P-256 public key and auth secret, base64url. */
export interface BrowserKeys {
  readonly p256dh: string;
  readonly auth: string;
}

/** Keys of the right names, not of the right shape: for tests where no hub reads them. */
export const FAKE_BROWSER_KEYS: BrowserKeys = { p256dh: "BPublicKeyOfTheBrowser", auth: "AuthSecret" };

/** Keys a real browser could have made: a fresh P-256 public key (uncompressed) and 16 random bytes. */
export function realBrowserKeys(): BrowserKeys {
  const { publicKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const point = publicKey.export({ format: "der", type: "spki" }).subarray(-65);
  return { p256dh: point.toString("base64url"), auth: randomBytes(16).toString("base64url") };
}

export class FakeSubscription implements PushSubscriptionLike {
  unsubscribed = false;
  readonly options: { readonly applicationServerKey: ArrayBuffer | null };

  constructor(
    readonly endpoint: string,
    key: Uint8Array,
    private readonly calls: string[],
    private readonly keys: BrowserKeys = FAKE_BROWSER_KEYS,
  ) {
    this.options = { applicationServerKey: key.slice().buffer };
  }

  toJSON(): PushSubscriptionJSON {
    return { endpoint: this.endpoint, expirationTime: null, keys: { ...this.keys } };
  }

  async unsubscribe(): Promise<boolean> {
    this.calls.push(`unsubscribe ${this.endpoint}`);
    this.unsubscribed = true;
    return true;
  }
}

export class FakePushManager implements PushManagerLike {
  subscription: FakeSubscription | null = null;
  /** Set to make `subscribe` reject, as a browser without a push service does. */
  failure: Error | null = null;
  /** What the subscriptions it makes hold for the browser's keys. */
  keys: BrowserKeys = FAKE_BROWSER_KEYS;
  #made = 0;

  constructor(private readonly calls: string[]) {}

  async getSubscription(): Promise<PushSubscriptionLike | null> {
    return this.subscription?.unsubscribed ? null : this.subscription;
  }

  async subscribe(options: { userVisibleOnly: boolean; applicationServerKey: Uint8Array }): Promise<PushSubscriptionLike> {
    this.calls.push(`subscribe userVisibleOnly=${options.userVisibleOnly}`);
    if (this.failure !== null) throw this.failure;
    this.#made += 1;
    this.subscription = new FakeSubscription(`https://push.example/send/${this.#made}`, options.applicationServerKey, this.calls, this.keys);
    return this.subscription;
  }
}

export class FakeWorker extends EventTarget implements ServiceWorkerLike {
  constructor(public state: string) {
    super();
  }

  moveTo(state: string): void {
    this.state = state;
    this.dispatchEvent(new Event("statechange"));
  }
}

export class FakeRegistration implements ServiceWorkerRegistrationLike {
  installing: FakeWorker | null = null;
  waiting: FakeWorker | null = null;
  active: FakeWorker | null = null;

  constructor(
    readonly scope: string,
    readonly pushManager: FakePushManager,
  ) {}
}

export interface HubAnswer {
  readonly status: number;
  readonly body?: unknown;
}

export interface HubRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

export class FakePushBrowser {
  readonly calls: string[] = [];
  readonly pushManager = new FakePushManager(this.calls);
  registration: FakeRegistration | undefined;
  /** Whether `register` gives a worker that is active at once; else the test activates it. */
  activateAtOnce = true;
  permission: NotificationPermissionLike = "default";
  /** What the user answers to the prompt. */
  answer: NotificationPermissionLike = "granted";
  readonly requests: HubRequest[] = [];
  /** The hub's answers by "METHOD path"; the defaults are a hub with push configured. */
  readonly answers = new Map<string, HubAnswer | Error>([
    ["GET /api/v1/push/vapid-public-key", { status: 200, body: { public_key: vapidKey(7) } }],
    ["POST /api/v1/push/subscriptions", { status: 201, body: { id: "sub-1" } }],
    ["DELETE /api/v1/push/subscriptions", { status: 204 }],
  ]);

  readonly fetch: HubFetch = async (url, init) => {
    const path = new URL(url).pathname;
    this.calls.push(`${init.method} ${path}`);
    this.requests.push({ method: init.method, url, headers: init.headers, body: init.body === undefined ? undefined : JSON.parse(init.body) });
    const answer = this.answers.get(`${init.method} ${path}`) ?? { status: 404 };
    if (answer instanceof Error) throw answer;
    return { status: answer.status, json: async () => (answer.body === undefined ? Promise.reject(new SyntaxError("no body")) : answer.body) };
  };

  environment(overrides: Partial<PushEnvironment> = {}): PushEnvironment {
    const browser = this;
    return {
      pushManager: true,
      fetch: this.fetch,
      Notification: {
        get permission() {
          return browser.permission;
        },
        async requestPermission() {
          browser.calls.push("requestPermission");
          if (browser.permission === "default") browser.permission = browser.answer === "default" ? "default" : browser.answer;
          return browser.permission;
        },
      },
      serviceWorker: {
        async register(url, options) {
          browser.calls.push(`register ${url} ${JSON.stringify(options)}`);
          const registration = new FakeRegistration("https://app.example/", browser.pushManager);
          if (browser.activateAtOnce) registration.active = new FakeWorker("activated");
          else registration.installing = new FakeWorker("installing");
          browser.registration = registration;
          return registration;
        },
        async getRegistration() {
          return browser.registration;
        },
      },
      ...overrides,
    };
  }
}
