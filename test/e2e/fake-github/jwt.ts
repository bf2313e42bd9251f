/**
 * Checks a GitHub App JWT the way GitHub does before minting an installation token: an RS256
 * JWT, signed by the app's private key (verified with the public key), issued by the app id,
 * not expired, and expiring at most 10 minutes ahead.
 */
import { createPublicKey, verify, type KeyObject } from "node:crypto";

export type JwtCheck = { ok: true; appId: string; iat: number; exp: number } | { ok: false; reason: string };

function base64urlJson(part: string): unknown {
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
}

export function verifyAppJwt(token: string, apps: Map<string, KeyObject>, nowSeconds = Math.floor(Date.now() / 1000)): JwtCheck {
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "not a JWT (expected three dot-separated parts)" };
  const [headerPart = "", payloadPart = "", signaturePart = ""] = parts;
  let header: Record<string, unknown>;
  let payload: Record<string, unknown>;
  try {
    header = base64urlJson(headerPart) as Record<string, unknown>;
    payload = base64urlJson(payloadPart) as Record<string, unknown>;
  } catch {
    return { ok: false, reason: "JWT header or payload is not base64url JSON" };
  }
  if (header.alg !== "RS256") return { ok: false, reason: `JWT alg is ${String(header.alg)}, GitHub requires RS256` };
  const iss = payload.iss;
  if (typeof iss !== "string" && typeof iss !== "number") return { ok: false, reason: "JWT has no iss (the app id)" };
  const key = apps.get(String(iss));
  if (!key) return { ok: false, reason: `no app with id ${String(iss)}` };
  const signed = Buffer.from(`${headerPart}.${payloadPart}`, "ascii");
  const signature = Buffer.from(signaturePart, "base64url");
  if (!verify("RSA-SHA256", signed, key, signature))
    return { ok: false, reason: "JWT signature does not verify with the app's public key" };
  const iat = payload.iat;
  const exp = payload.exp;
  if (typeof iat !== "number" || typeof exp !== "number") return { ok: false, reason: "JWT iat/exp missing" };
  if (iat > nowSeconds + 60) return { ok: false, reason: "JWT iat is in the future" };
  if (exp <= nowSeconds) return { ok: false, reason: "JWT expired" };
  if (exp > nowSeconds + 600 + 60) return { ok: false, reason: "JWT exp is too far in the future (max 10 minutes)" };
  return { ok: true, appId: String(iss), iat, exp };
}

export function publicKeyFrom(pem: string): KeyObject {
  return createPublicKey(pem);
}
