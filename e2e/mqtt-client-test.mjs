// MQTT.js (the npm package "mqtt") against an MQTT server: for MQTT 3.1.1 and 5, QoS 0/1/2 with + and # wildcards,
// retained messages, wills, a persistent session with messages queued while offline, and shared subscriptions.
// Usage: node mqtt-client-test.mjs <port> [host]. Prints one JSON line per check, then a summary line
// {"passed":n,"failed":m}; exits 0 only when every check passed. Run by io.inos.adapters.mqtt.MqttJsClientTest.
import mqtt from 'mqtt';

const port = Number(process.argv[2]);
const host = process.argv[3] ?? '127.0.0.1';
const url = `mqtt://${host}:${port}`;
const STEP_MS = 10000;
let passed = 0;
let failed = 0;
const open = [];

function report(name, ok, detail) {
  if (ok) passed++; else failed++;
  console.log(JSON.stringify({ check: name, ok, detail }));
}

function withTimeout(promise, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timeout: ${what}`)), STEP_MS); }),
  ]).finally(() => clearTimeout(timer));
}

/** Connects and resolves with [client, connack]; no automatic reconnection (the checks decide when to come back). */
function connect(version, options = {}) {
  const client = mqtt.connect(url, { protocolVersion: version, reconnectPeriod: 0, connectTimeout: STEP_MS, ...options });
  open.push(client);
  return withTimeout(new Promise((resolve, reject) => {
    client.once('connect', (connack) => resolve([client, connack]));
    client.once('error', reject);
  }), `connect ${options.clientId ?? ''}`);
}

/** Resolves with the first `count` messages matching `accept`, as {topic, text, qos, retain}. */
function collect(client, count, accept = () => true, what = 'messages') {
  const got = [];
  return withTimeout(new Promise((resolve) => {
    const onMessage = (topic, payload, packet) => {
      const m = { topic, text: payload.toString('utf8'), qos: packet.qos, retain: packet.retain };
      if (!accept(m)) return;
      got.push(m);
      if (got.length === count) {
        client.removeListener('message', onMessage);
        resolve(got);
      }
    };
    client.on('message', onMessage);
  }), `${what} (${got.length}/${count})`);
}

async function check(name, body) {
  try {
    const detail = await body();
    report(name, true, detail);
  } catch (e) {
    report(name, false, String(e && e.stack || e));
  }
}

async function qosAndWildcards(v) {
  const base = `sensors/js/v${v}`;
  const [sub] = await connect(v, { clientId: `js-sub-${v}` });
  await sub.subscribeAsync(`${base}/qos/+`, { qos: 2 });
  await sub.subscribeAsync(`${base}/deep/#`, { qos: 1 });
  const [pub] = await connect(v, { clientId: `js-pub-${v}` });
  const expect = collect(sub, 4, (m) => m.topic.startsWith(base), 'QoS and wildcard messages');
  for (const qos of [0, 1, 2]) {
    await pub.publishAsync(`${base}/qos/q${qos}`, `qos-${qos}`, { qos });
  }
  await pub.publishAsync(`${base}/deep/a/b/c`, 'deep', { qos: 1 });
  const got = await expect;
  const byText = Object.fromEntries(got.map((m) => [m.text, m]));
  for (const qos of [0, 1, 2]) {
    const m = byText[`qos-${qos}`];
    if (!m || m.qos !== qos || m.topic !== `${base}/qos/q${qos}`) throw new Error(`qos ${qos}: ${JSON.stringify(got)}`);
  }
  if (!byText.deep || byText.deep.topic !== `${base}/deep/a/b/c`) throw new Error(`#: ${JSON.stringify(got)}`);
  await sub.endAsync();
  await pub.endAsync();
  return got;
}

async function retained(v) {
  const topic = `sensors/js/v${v}/retained`;
  const [pub] = await connect(v, { clientId: `js-ret-pub-${v}` });
  await pub.publishAsync(topic, `kept-${v}`, { qos: 1, retain: true });
  const [late] = await connect(v, { clientId: `js-ret-sub-${v}` });
  const expect = collect(late, 1, (m) => m.topic === topic, 'retained message');
  await late.subscribeAsync(topic, { qos: 1 });
  const [m] = await expect;
  if (m.text !== `kept-${v}` || !m.retain) throw new Error(JSON.stringify(m));
  await pub.publishAsync(topic, '', { qos: 1, retain: true }); // clears it
  await pub.endAsync();
  await late.endAsync();
  return m;
}

async function will(v) {
  const topic = `sensors/js/v${v}/will`;
  const [watcher] = await connect(v, { clientId: `js-will-watch-${v}` });
  await watcher.subscribeAsync(topic, { qos: 1 });
  const expect = collect(watcher, 1, (m) => m.topic === topic, 'will');
  const [dying] = await connect(v, { clientId: `js-will-${v}`,
    will: { topic, payload: Buffer.from(`gone-${v}`), qos: 1, retain: false } });
  dying.stream.destroy(); // the connection is lost without DISCONNECT: the server publishes the will
  const [m] = await expect;
  if (m.text !== `gone-${v}`) throw new Error(JSON.stringify(m));
  dying.end(true);
  await watcher.endAsync();
  return m;
}

async function persistentSession(v) {
  const topic = `sensors/js/v${v}/offline`;
  const clientId = `js-persistent-${v}`;
  const persistent = v === 5 ? { clean: false, properties: { sessionExpiryInterval: 300 } } : { clean: false };
  // start from a clean slate, then make the persistent session
  const [fresh] = await connect(v, { clientId, clean: true });
  await fresh.endAsync();
  const [first, connack1] = await connect(v, { clientId, ...persistent });
  if (connack1.sessionPresent) throw new Error('a new session was reported present');
  await first.subscribeAsync(topic, { qos: 1 });
  await first.endAsync();
  const [pub] = await connect(v, { clientId: `js-offline-pub-${v}` });
  for (let i = 0; i < 3; i++) {
    await pub.publishAsync(topic, `queued-${i}`, { qos: 1 });
  }
  await pub.endAsync();
  const back = mqtt.connect(url, { protocolVersion: v, reconnectPeriod: 0, clientId, ...persistent });
  open.push(back);
  // listen before the CONNACK: the queued messages follow it at once
  const expect = collect(back, 3, (m) => m.topic === topic, 'queued messages');
  const connack2 = await withTimeout(new Promise((resolve, reject) => {
    back.once('connect', resolve);
    back.once('error', reject);
  }), 'reconnect');
  if (!connack2.sessionPresent) throw new Error('the session was not present on reconnection');
  const got = await expect;
  const texts = got.map((m) => m.text);
  if (JSON.stringify(texts) !== JSON.stringify(['queued-0', 'queued-1', 'queued-2'])) throw new Error(texts.join());
  await back.endAsync();
  // end the session for good
  const [cleaner] = await connect(v, { clientId, clean: true });
  await cleaner.endAsync();
  return texts;
}

async function shared(v) {
  const topic = `sensors/js/v${v}/shared`;
  const [a] = await connect(v, { clientId: `js-share-a-${v}` });
  const [b] = await connect(v, { clientId: `js-share-b-${v}` });
  await a.subscribeAsync(`$share/g${v}/${topic}`, { qos: 1 });
  await b.subscribeAsync(`$share/g${v}/${topic}`, { qos: 1 });
  const seen = { a: [], b: [] };
  a.on('message', (t, p) => { if (t === topic) seen.a.push(p.toString()); });
  b.on('message', (t, p) => { if (t === topic) seen.b.push(p.toString()); });
  const [pub] = await connect(v, { clientId: `js-share-pub-${v}` });
  const n = 10;
  for (let i = 0; i < n; i++) {
    await pub.publishAsync(topic, `s-${i}`, { qos: 1 });
  }
  await withTimeout(new Promise((resolve) => {
    const poll = setInterval(() => {
      if (seen.a.length + seen.b.length >= n) { clearInterval(poll); resolve(); }
    }, 20);
  }), 'shared deliveries');
  const all = [...seen.a, ...seen.b].sort();
  if (new Set(all).size !== n || all.length !== n) throw new Error(`each message once: ${JSON.stringify(seen)}`);
  if (seen.a.length === 0 || seen.b.length === 0) throw new Error(`both members get some: ${JSON.stringify(seen)}`);
  await Promise.all([a.endAsync(), b.endAsync(), pub.endAsync()]);
  return { a: seen.a.length, b: seen.b.length };
}

for (const v of [4, 5]) {
  await check(`v${v} qos 0/1/2 with + and #`, () => qosAndWildcards(v));
  await check(`v${v} retained`, () => retained(v));
  await check(`v${v} will`, () => will(v));
  await check(`v${v} persistent session`, () => persistentSession(v));
  await check(`v${v} shared subscription`, () => shared(v));
}
for (const c of open) c.end(true);
console.log(JSON.stringify({ passed, failed }));
process.exit(failed === 0 ? 0 : 1);
