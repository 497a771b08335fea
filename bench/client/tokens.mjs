// HS256 client tokens with the claims notifyhub requires (user_id, email, exp), minted locally.
import { createHmac, randomUUID } from "node:crypto";

const base64url = (value) => Buffer.from(value).toString("base64url");
const HEADER = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));

export function mintToken(secret, userId, ttlSeconds = 3600) {
  const exp = Math.floor(Date.now() / 1000) + ttlSeconds;
  const claims = base64url(JSON.stringify({ user_id: userId, email: `${userId.slice(0, 8)}@bench.test`, exp }));
  const signature = createHmac("sha256", secret).update(`${HEADER}.${claims}`).digest("base64url");
  return `${HEADER}.${claims}.${signature}`;
}

export function newUsers(count, secret) {
  return Array.from({ length: count }, () => {
    const id = randomUUID();
    return { id, token: mintToken(secret, id) };
  });
}
