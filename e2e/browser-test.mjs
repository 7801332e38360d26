#!/usr/bin/env node
// The browser scenario of INOS's bridge acceptance, driven by playwright-core in Debian's Chromium (never a
// downloaded browser). The JUnit test io.inos.e2e.BrowserBridgeE2ETest runs it; it can also be run by hand against
// a running INOS and a server of e2e/page (see e2e/README.md).
//
// stdout carries JSON lines only, one object each, for the caller:
//   {"event":"subscribed","address":"campaign:{id}", ...}  the page listens at the feed address: publish to it now
//   {"event":"result", ...}                                  what the page saw; the process then exits 0
//   {"event":"error","step":…,"message":…}                   the scenario could not go on; exit code 1
// Progress and the page's console go to stderr.
import { chromium } from 'playwright-core';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** The flags of the machine notes: without the background-networking ones, Chromium's calls home are refused. */
const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic',
];

const CREATE = 'campaign:create_campaign:v1:requested';
const GET = 'campaign:get_campaign:v1:requested';
/** Not permitted inbound by the guest rules: only campaign:{action}:v{n}:requested is. */
const FORBIDDEN_SEND = 'billing:charge_card:v1:requested';

const { values: opt } = parseArgs({
  options: {
    page: { type: 'string' },                  // URL of e2e/page/index.html as served
    bus: { type: 'string' },                   // SockJS URL of the bridge; default: /eventbus of the page's origin
    token: { type: 'string' },                 // optional bearer token
    login: { type: 'string' },                 // optional user id: the page signs in as it (the login step)
    slug: { type: 'string' },                  // the campaign to create
    'create-correlation-id': { type: 'string' },
    'get-correlation-id': { type: 'string' },
    'feed-type': { type: 'string' },           // the type of the event the caller publishes at the feed address
    'feed-correlation-id': { type: 'string' },
    'forbidden-correlation-id': { type: 'string' }, // of the send the bridge must refuse
    chromium: { type: 'string', default: process.env.INOS_E2E_CHROMIUM || '/usr/bin/chromium' },
    screenshot: { type: 'string' },
    'step-timeout-ms': { type: 'string', default: '20000' },
  },
});

for (const required of ['page', 'slug', 'create-correlation-id', 'get-correlation-id', 'feed-type',
  'feed-correlation-id', 'forbidden-correlation-id']) {
  if (!opt[required]) {
    console.error(`browser-test: --${required} is required`);
    process.exit(2);
  }
}
const stepTimeout = Number(opt['step-timeout-ms']);

function emit(object) {
  process.stdout.write(JSON.stringify(object) + '\n');
}

function progress(text) {
  process.stderr.write(`[browser-test] ${text}\n`);
}

let step = 'launch';
let context = null;
let page = null;
const userDataDir = await mkdtemp(join(tmpdir(), 'inos-e2e-chromium-'));
const consoleErrors = [];

try {
  progress(`launching ${opt.chromium} (user data in ${userDataDir})`);
  // a persistent context is the way to give Chromium a user-data-dir of our own: a fresh, empty one per run
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: opt.chromium,
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1100, height: 800 },
    timeout: stepTimeout,
  });
  page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(stepTimeout);
  page.on('console', (m) => {
    progress(`page console.${m.type()}: ${m.text()}`);
    if (m.type() === 'error') {
      consoleErrors.push(m.text());
    }
  });
  page.on('pageerror', (e) => {
    progress(`page error: ${e.message}`);
    consoleErrors.push(e.message);
  });

  step = 'load the page';
  const url = new URL(opt.page);
  if (opt.bus) {
    url.searchParams.set('bus', opt.bus);
  }
  if (opt.token) {
    url.searchParams.set('token', opt.token);
  }
  progress(`opening ${url.href}`);
  const response = await page.goto(url.href, { waitUntil: 'load' });
  if (!response || !response.ok()) {
    throw new Error(`the page answered ${response && response.status()} at ${url.href}`);
  }
  const globals = await page.evaluate(() => ({
    sockJS: typeof window.SockJS, eventBus: typeof window.EventBus, page: typeof window.inosBridgePage,
  }));
  if (globals.sockJS !== 'function' || globals.eventBus !== 'function' || globals.page !== 'object') {
    throw new Error(`the page's scripts did not load: ${JSON.stringify(globals)}`);
  }

  if (opt.login) {
    step = 'log in';
    const signedIn = await page.evaluate((u) => window.inosBridgePage.login(u), opt.login);
    progress(`signed in as ${signedIn.userId}`);
  }

  step = 'open the event bus';
  const opened = await page.evaluate((t) => window.inosBridgePage.open(t), stepTimeout);
  progress(`open over ${opened.transport} as ${opened.userId}`);
  const userAddress = `user:${opened.userId}`;

  step = 'create a campaign';
  await page.evaluate((a) => window.inosBridgePage.register(a), userAddress);
  const created = await page.evaluate(([slug, corr, t]) => {
    const p = window.inosBridgePage;
    return p.request('campaign:create_campaign:v1:requested',
      p.envelope('campaign:create_campaign:v1:requested', { slug, title: `Title of ${slug}` }, corr), t);
  }, [opt.slug, opt['create-correlation-id'], stepTimeout]);
  if (!created.ok) {
    throw new Error(`create_campaign was refused: ${JSON.stringify(created.error)}`);
  }
  step = 'the :started event at the user address';
  const started = await page.evaluate(([a, corr, t]) => window.inosBridgePage
    .awaitDelivery(a, 'campaign:create_campaign:v1:started', corr, t), [userAddress, opt['create-correlation-id'],
    stepTimeout]);

  step = 'subscribe to the feed';
  const campaignId = created.body?.payload?.data?.campaign?.id;
  if (campaignId === undefined || campaignId === null) {
    throw new Error(`the :success event names no campaign id: ${JSON.stringify(created.body)}`);
  }
  const feedAddress = `campaign:${campaignId}`;
  await page.evaluate((a) => window.inosBridgePage.register(a), feedAddress);

  step = 'be refused';
  const otherUser = 'user:guest_' + '0123456789abcdef'.repeat(2);
  await page.evaluate((a) => window.inosBridgePage.register(a), otherUser);
  const refusedRegister = await page.evaluate((t) => window.inosBridgePage.awaitBusError('access_denied', t),
    stepTimeout);
  const refusedSend = await page.evaluate(([address, corr, t]) => {
    const p = window.inosBridgePage;
    return p.request(address, p.envelope(address, { amount: 1 }, corr), t);
  }, [FORBIDDEN_SEND, opt['forbidden-correlation-id'], stepTimeout]);
  // the bridge handles a socket's frames in order, so once the refused send is answered, the feed registration
  // sent before it is in place: the caller may publish now
  emit({ event: 'subscribed', address: feedAddress, guestId: opened.guestId, userId: opened.userId });

  step = 'receive the feed';
  const feed = await page.evaluate(([a, type, corr, t]) => window.inosBridgePage.awaitDelivery(a, type, corr, t),
    [feedAddress, opt['feed-type'], opt['feed-correlation-id'], stepTimeout]);

  step = 'send again after the refusals';
  const afterRefusals = await page.evaluate(([id, corr, t]) => {
    const p = window.inosBridgePage;
    return p.request('campaign:get_campaign:v1:requested',
      p.envelope('campaign:get_campaign:v1:requested', { id }, corr), t);
  }, [campaignId, opt['get-correlation-id'], stepTimeout]);
  const connection = await page.evaluate(() => window.inosBridgePage.state());

  step = 'screenshot';
  await page.evaluate(() => window.inosBridgePage.note('scenario done'));
  const screenshot = await takeScreenshot();

  emit({
    event: 'result',
    guestId: opened.guestId,
    userId: opened.userId,
    transport: opened.transport,
    loginEnabled: opened.loginEnabled,
    userAddress,
    create: { headers: created.headers, body: created.body },
    started: started.body,
    feed: { address: feed.address, body: feed.body },
    refusedRegister: { address: otherUser, frame: refusedRegister.frame },
    refusedSend: { address: FORBIDDEN_SEND, ok: refusedSend.ok, error: refusedSend.error },
    afterRefusals: { ok: afterRefusals.ok, headers: afterRefusals.headers, body: afterRefusals.body },
    connection,
    consoleErrors,
    screenshot,
  });
  await finish(0);
} catch (e) {
  progress(`failed at "${step}": ${e.stack || e}`);
  const screenshot = await takeScreenshot().catch(() => null);
  emit({ event: 'error', step, message: String(e.message || e), consoleErrors, screenshot });
  await finish(1);
}

async function takeScreenshot() {
  if (!opt.screenshot || !page) {
    return null;
  }
  const path = resolve(opt.screenshot);
  await mkdir(dirname(path), { recursive: true });
  await page.screenshot({ path, fullPage: true });
  progress(`screenshot: ${path}`);
  return path;
}

async function finish(code) {
  try {
    if (page) {
      await page.evaluate(() => window.inosBridgePage && window.inosBridgePage.close()).catch(() => {});
    }
    if (context) {
      await context.close();
    }
  } finally {
    await rm(userDataDir, { recursive: true, force: true });
  }
  process.exit(code);
}
