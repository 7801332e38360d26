#!/usr/bin/env python3
"""Where a Nexus round trip spends its time and its allocations, from a JFR recording of LifecycleBenchmark.

Only the event-loop threads are counted (the benchmark thread just waits). Two views:
  * categories: each sample goes to the first category met walking up from the leaf frame (they add up to 100%);
  * lifecycle steps: the share of samples whose stack goes through a step (they overlap).
Allocation shares are turned into bytes per round trip with --bytes-per-op (JMH's gc.alloc.rate.norm).

  python3 bench/jfr_breakdown.py recording.jfr --bytes-per-op 26500
"""
import argparse
import collections
import json
import subprocess

CATEGORIES = [
    ("JSON copies (JsonCopy, JsonObject/JsonArray.copy)",
     ("io.inos.nexus.impl.JsonCopy", "JsonObject.copy", "JsonArray.copy", "JsonUtil.deepCopy")),
    ("EventType parse/of/withState", ("io.inos.nexus.EventType.", "io.inos.nexus.EventState.")),
    ("ids (EventIds, UUID)", ("io.inos.nexus.EventIds", "java.util.UUID.")),
    ("clock and timestamps (Instant, Timestamps)", ("java.time.", "io.inos.graceful.Timestamps")),
    ("timers (setTimer/cancelTimer)", ("VertxImpl.setTimer", "VertxImpl.cancelTimer", "ContextInternal.setTimer")),
    ("Vert.x event bus (send, publish, reply, headers)", ("io.vertx.core.eventbus.", "HeadersMultiMap")),
    ("Vert.x futures/promises", ("io.vertx.core.impl.future.", "io.vertx.core.Future.", "io.vertx.core.Promise")),
    ("new JSON built by the lifecycle (put, new)", ("io.vertx.core.json.",)),
    ("DuplicateFilter", ("DuplicateFilter",)),
    ("other io.inos code", ("io.inos.nexus", "io.inos.graceful")),
    ("benchmark driver", ("io.inos.bench",)),
]
# (name, a frame the stack must hold, and a second one or None)
STEPS = [
    ("caller: Event.Builder.build of the :requested event", "NexusPeer.roundTrip", "Event$Builder.build"),
    ("caller: nexus.request -> eventBus.request", "NexusImpl.exchange", None),
    ("host: :started event", "Outcomes.startedEvent", None),
    ("host: publish (:started and :success, to type and user scope)", "NexusImpl.publish", None),
    ("handler: req.data() copy", "ActionRequest.data", None),
    ("host: copies in ServiceHost.finish (the handler's result, the context's metadata)", "ServiceHost.finish",
     "JsonCopy.of"),
    ("host: the context's copy of the request metadata", "ServiceHost.finish", "Event.metadata"),
    ("pipeline: the :success event (payload + Event.<init>)", "Outcomes.successEvent", None),
    ("pipeline: MetadataNormaliser.normalise", "MetadataNormaliser.normalise", None),
    ("host: ServiceHost.invoke (the handler, its timer when pending)", "ServiceHost.invoke", None),
    ("host: ServiceHost.reply (headers, reply)", "ServiceHost.reply", None),
    ("host: DuplicateFilter", "DuplicateFilter", None),
    ("all EventType.parse", "EventType.parse", None),
    ("all EventIds", "EventIds.", None),
    ("all Timestamps.format", "Timestamps.format", None),
]
KINDS = (("jdk.ExecutionSample", "sampledThread", None), ("jdk.ObjectAllocationSample", "eventThread", "weight"))


def events(recording):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "128", "--events",
                          ",".join(k for k, _, _ in KINDS), recording],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]


def frames(event):
    stack = event["values"].get("stackTrace")
    if not stack:
        return []
    return [(f["method"]["type"]["name"] + "." + f["method"]["name"]).replace("/", ".") for f in stack["frames"]]


def category(stack):
    for method in stack:
        for name, keys in CATEGORIES:
            if any(k in method for k in keys):
                return name
    return "other (JDK, Netty)"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("recording")
    parser.add_argument("--bytes-per-op", type=float, default=0)
    args = parser.parse_args()
    all_events = events(args.recording)
    for kind, thread_key, weight_key in KINDS:
        samples = [(frames(e), e["values"][weight_key] if weight_key else 1) for e in all_events
                   if e["type"] == kind
                   and "eventloop" in ((e["values"].get(thread_key) or {}).get("javaName") or "")]
        total = sum(w for _, w in samples) or 1

        def share(value):
            text = f"{value * 100 / total:5.1f}%"
            if weight_key and args.bytes_per_op:
                text += f" ~{value / total * args.bytes_per_op:7,.0f} B/op"
            return text

        title = "CPU samples" if weight_key is None else "allocation samples"
        print(f"== {title} on the event loop: {len(samples)}")
        by_category = collections.Counter()
        for stack, w in samples:
            by_category[category(stack)] += w
        for name, value in by_category.most_common():
            print(f"  {share(value)}  {name}")
        print("  -- lifecycle steps (overlapping)")
        for name, first, second in STEPS:
            value = sum(w for stack, w in samples
                        if any(first in m for m in stack) and (second is None or any(second in m for m in stack)))
            print(f"  {share(value)}  {name}")
        print()


if __name__ == "__main__":
    main()
