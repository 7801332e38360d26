#!/usr/bin/env python3
"""Renders the section "## Cross-node publish and history (issue 5)" of docs/benchmarks.md from the results of
bench/cluster.sh (bench/results/cluster/*.json and facts.txt); the rest of the document is kept as it is."""
import argparse
import json
import os
import re

HEADING = "## Cross-node publish and history (issue 5)"
CONFIGS = [
    ("single", "1 node"),
    ("single-history", "1 node + Redis history of the feed"),
    ("two-nodes", "2 nodes (publisher on A, subscribers on B)"),
    ("three-nodes", "3 nodes (publisher on A, subscribers on B and C)"),
]


def load(directory):
    results = {}
    for key, _ in CONFIGS:
        path = os.path.join(directory, key + ".json")
        if os.path.exists(path):
            with open(path) as f:
                results[key] = json.load(f)
    facts = {}
    facts_path = os.path.join(directory, "facts.txt")
    if os.path.exists(facts_path):
        with open(facts_path) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    facts[k] = v
    return results, facts


def sweep(result):
    return [s for s in result.get("steps", []) if s.get("kind") == "sweep"]


def best(result):
    steps = sweep(result)
    return max(steps, key=lambda s: s["deliveredPerS"]) if steps else None


def bar(value, top, width=40):
    n = 0 if top <= 0 else int(round(width * value / top))
    return "#" * n + " " * (width - n)


def render(results, facts):
    lines = [HEADING, ""]
    lines.append("Publish throughput across the nodes of one Hazelcast cluster (INOS server JVMs on loopback, one "
                 "publisher sending event-bus `publish` frames over WebSocket to node A, "
                 + str(next(iter(results.values()))["options"]["subscribers"] if results else "?")
                 + " WebSocket subscribers on the other nodes), beside one node alone and one node appending "
                 "the feed to its Redis history; the rate rises until deliveries stop growing (saturation). Every JVM (the nodes "
                 "and the generator) shares the machine's cores: here a node more is less CPU for each, not more "
                 "capacity, so the 2- and 3-node figures show what crossing the network costs on one machine, not "
                 "how a cluster of machines scales.")
    lines.append("")
    lines.append("Machine: %s cores, %s; %s; load average before %s, after %s." % (
        facts.get("nproc", "?"), facts.get("cpu", "?"), facts.get("java", "?"), facts.get("load_before", "?"),
        facts.get("load_after", "?")))
    lines.append("")
    lines.append("| configuration | saturation (deliveries/s) | at rate (msg/s) | p50 / p99 at saturation (ms) | "
                 "loss below saturation |")
    lines.append("|---|---|---|---|---|")
    peaks = {}
    for key, name in CONFIGS:
        if key not in results:
            continue
        b = best(results[key])
        peaks[key] = b["deliveredPerS"] if b else 0
        below = [s for s in sweep(results[key]) if not s.get("saturated")]
        loss = max((s["lossPct"] for s in below), default=0.0)
        lines.append("| %s | %s | %s | %.1f / %.1f | %.3f%% |" % (
            name, "{:,.0f}".format(b["deliveredPerS"]) if b else "n/a", "{:g}".format(b["rate"]) if b else "n/a",
            b["latencyMs"]["p50"] if b else 0, b["latencyMs"]["p99"] if b else 0, loss))
    lines.append("")
    top = max(peaks.values(), default=0)
    lines.append("```")
    for key, name in CONFIGS:
        if key in peaks:
            lines.append("%-16s |%s| %s /s" % (key, bar(peaks[key], top), "{:,.0f}".format(peaks[key])))
    lines.append("```")
    lines.append("")
    # latency at the same offered load: the highest rate every configuration sustained unsaturated
    common = None
    rates = [set(s["rate"] for s in sweep(results[k]) if not s.get("saturated")) for k in results]
    if rates:
        shared = set.intersection(*rates)
        common = max(shared) if shared else None
    if common is not None:
        lines.append("At the same offered load (%g msg/s, which every configuration sustained):" % common)
        lines.append("")
        lines.append("| configuration | delivered/s | p50 (ms) | p99 (ms) |")
        lines.append("|---|---|---|---|")
        for key, name in CONFIGS:
            if key in results:
                s = next(s for s in sweep(results[key]) if s["rate"] == common)
                lines.append("| %s | %s | %.1f | %.1f |" % (name, "{:,.0f}".format(s["deliveredPerS"]),
                                                          s["latencyMs"]["p50"], s["latencyMs"]["p99"]))
        lines.append("")
    if "single" in peaks and "single-history" in peaks and peaks["single"] > 0:
        cost = 100.0 * (1 - peaks["single-history"] / peaks["single"])
        verdict = "within" if cost < 20 else "NOT within"
        lines.append("History append cost: %.1f%% of the single node's saturation throughput (%s the issue's 20%%)."
                     % (cost, verdict))
        lines.append("")
    lines.append("Commands (from `bench/cluster.sh`, which starts the nodes; see bench/README.md):")
    lines.append("")
    lines.append("```")
    for key, _ in CONFIGS:
        cmd = facts.get("command_" + key)
        if cmd:
            lines.append(cmd)
    lines.append("```")
    lines.append("")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--doc", required=True)
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    results, facts = load(args.dir)
    section = render(results, facts)
    text = open(args.doc).read() if os.path.exists(args.doc) else "# Benchmarks\n"
    pattern = re.compile(re.escape(HEADING) + r"\n.*?(?=\n## |\Z)", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda m: section.rstrip("\n"), text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(args.doc, "w") as f:
        f.write(text if text.endswith("\n") else text + "\n")
    print(">> wrote " + args.doc)


if __name__ == "__main__":
    main()
