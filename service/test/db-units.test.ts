// The pieces of the database layer that need no database: error classification and the
// scrape-time cache.
import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "../src/db/errors";
import { cachedWithTimeout } from "../src/metrics/db";

const withCode = (code: string, message = "x") => Object.assign(new Error(message), { code });

describe("isDatabaseUnavailable", () => {
  it.each([
    withCode("ECONNREFUSED"),
    withCode("ETIMEDOUT"),
    withCode("57P01", "terminating connection due to administrator command"),
    withCode("57P03", "the database system is starting up"),
    withCode("53300", "too many connections"),
    withCode("08006"),
    withCode("28P01", "password authentication failed"),
    withCode("57014", "canceling statement due to statement timeout"),
    new Error("timeout exceeded when trying to connect"),
    new Error("Connection terminated unexpectedly"),
    new Error("Query read timeout"),
    // TLS to the database that cannot be trusted, or not had at all.
    withCode("UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate"),
    withCode("SELF_SIGNED_CERT_IN_CHAIN"),
    withCode("CERT_HAS_EXPIRED"),
    withCode("ERR_TLS_CERT_ALTNAME_INVALID", "Hostname/IP does not match certificate's altnames"),
    withCode("ERR_SSL_WRONG_VERSION_NUMBER"),
    new Error("The server does not support SSL connections"),
  ])("is true for %s", (error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    withCode("23505", "duplicate key"),
    withCode("42P01", "relation does not exist"),
    withCode("22P02", "invalid input syntax"),
    new TypeError("bug"),
    "a string",
  ])("is false for %s", (error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe("cachedWithTimeout", () => {
  it("shares one read between calls within the cache time", async () => {
    let reads = 0;
    const get = cachedWithTimeout(() => Promise.resolve(++reads), { timeoutMs: 100, cacheMs: 10_000 });
    expect(await Promise.all([get(), get()])).toEqual([1, 1]);
    expect(await get()).toBe(1);
    expect(reads).toBe(1);
  });

  it("reads again once the cache time has passed", async () => {
    let reads = 0;
    const get = cachedWithTimeout(() => Promise.resolve(++reads), { timeoutMs: 100, cacheMs: 0 });
    expect(await get()).toBe(1);
    expect(await get()).toBe(2);
  });

  it("gives up after the timeout, and on failure", async () => {
    const slow = cachedWithTimeout(() => new Promise<number>((r) => setTimeout(r, 2_000, 1)), {
      timeoutMs: 50,
      cacheMs: 0,
    });
    const start = performance.now();
    expect(await slow()).toBeUndefined();
    expect(performance.now() - start).toBeLessThan(500);
    const failing = cachedWithTimeout(() => Promise.reject(new Error("down")), { timeoutMs: 50, cacheMs: 0 });
    expect(await failing()).toBeUndefined();
  });
});
