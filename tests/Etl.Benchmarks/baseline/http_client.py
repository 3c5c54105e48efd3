#!/usr/bin/env python3
"""The HTTP baseline: a careful aiohttp client, written the way a Python user would do it well.

Fetches base_url + path for every id in [from, to] with a bounded pool of workers sharing one ClientSession whose
TCPConnector is sized to the concurrency (so connections are reused, never churned), retries transport errors,
429 and 5xx with exponential backoff and full jitter (honouring Retry-After, capped), extracts the records at
record_path and writes them as JSON lines. Prints one JSON object of counts and timing on stdout.
Needs aiohttp (Debian: apt-get install -y python3-aiohttp).
"""
import argparse
import asyncio
import json
import random
import sys
import time

import aiohttp

RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_DELAY_SECONDS = 10.0


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--base-url", required=True)
    p.add_argument("--path", default="/orders/{id}")
    p.add_argument("--from", dest="first", type=int, default=1)
    p.add_argument("--to", dest="last", type=int, required=True)
    p.add_argument("--concurrency", type=int, default=50)
    p.add_argument("--record-path", default="data")
    p.add_argument("--attempts", type=int, default=5)
    p.add_argument("--timeout", type=float, default=30.0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True)
    return p.parse_args()


def extract(document, record_path):
    value = document
    for name in filter(None, record_path.split(".")):
        if not isinstance(value, dict):
            return []
        value = value.get(name)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def retry_after_seconds(response):
    header = response.headers.get("Retry-After")
    if header is None:
        return None
    try:
        return max(0.0, float(header))
    except ValueError:
        return None


async def fetch(session, url, args, rng, stats):
    delay = 0.1
    for attempt in range(1, args.attempts + 1):
        wait = None
        try:
            async with session.get(url) as response:
                if response.status in RETRY_STATUSES:
                    wait = retry_after_seconds(response)
                    reason = f"{response.status} {response.reason}"
                elif response.status >= 400:
                    return None, f"{response.status} {response.reason}"
                else:
                    return await response.json(content_type=None), None
        except (aiohttp.ClientError, asyncio.TimeoutError) as e:
            reason = f"{type(e).__name__}: {e}"
        if attempt == args.attempts:
            return None, f"failed after {attempt} attempts: {reason}"
        stats["retries"] += 1
        sleep = wait if wait is not None else rng.uniform(0, delay)
        await asyncio.sleep(min(sleep, MAX_DELAY_SECONDS))
        delay = min(delay * 2, MAX_DELAY_SECONDS)
    return None, "unreachable"


async def worker(queue, session, args, rng, out, stats):
    while True:
        item = await queue.get()
        try:
            if item is None:
                return
            url = args.base_url.rstrip("/") + args.path.replace("{id}", str(item))
            document, error = await fetch(session, url, args, rng, stats)
            stats["requests"] += 1
            if error is not None:
                stats["failed"] += 1
                print(f"{url}: {error}", file=sys.stderr)
                continue
            for record in extract(document, args.record_path):
                out.write(json.dumps(record, ensure_ascii=False))
                out.write("\n")
                stats["records"] += 1
        finally:
            queue.task_done()


async def main():
    args = parse_args()
    rng = random.Random(args.seed)
    stats = {"requests": 0, "failed": 0, "retries": 0, "records": 0}
    started = time.perf_counter()
    queue = asyncio.Queue(maxsize=args.concurrency * 2)
    connector = aiohttp.TCPConnector(limit=args.concurrency, limit_per_host=args.concurrency)
    timeout = aiohttp.ClientTimeout(total=args.timeout)
    with open(args.out, "w", encoding="utf-8") as out:
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
            workers = [asyncio.create_task(worker(queue, session, args, rng, out, stats)) for _ in range(args.concurrency)]
            for i in range(args.first, args.last + 1):
                await queue.put(i)
            for _ in workers:
                await queue.put(None)
            await asyncio.gather(*workers)
    stats["seconds"] = round(time.perf_counter() - started, 4)
    print(json.dumps(stats))
    return 0 if stats["failed"] == 0 else 3


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
