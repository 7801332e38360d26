/*
 * The browser side of INOS's browser end-to-end test: a page that talks to INOS only through the unmodified
 * @vertx/eventbus-bridge-client.js (the global EventBus) over sockjs-client (the global SockJS).
 *
 * Query parameters:
 *   bus    the SockJS URL of the bridge; default: /eventbus on the page's own origin
 *   token  optional bearer token: when present, every frame carries the header "Authorization: Bearer <token>"
 *          (through the client's defaultHeaders); login(userId) gets one from INOS instead
 *   guest  optional guest id to propose; default: a new "guest_" + 32 hex digits, kept for the page's life, proposed
 *          in the "inos-guest-id" header of every frame, as the original frontend did
 *
 * The page does nothing by itself. It exposes window.inosBridgePage, whose methods return promises that a driver
 * (e2e/browser-test.mjs, through Playwright) awaits, and it lists everything it sends and sees, for the screenshot.
 */
(function () {
  'use strict';

  var params = new URLSearchParams(window.location.search);
  var busUrl = params.get('bus') || new URL('/eventbus', window.location.href).href;
  var token = params.get('token') || null;
  /** The user id the page signed in as, once login() succeeded. */
  var userId = null;
  var guestId = params.get('guest') || newGuestId();

  /** Everything the page has seen, in order: deliveries, replies, bus errors, connection changes. */
  var seen = [];
  /** Waiters for something not seen yet: {predicate, resolve}. */
  var waiters = [];
  var eb = null;

  function newGuestId() {
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return 'guest_' + Array.prototype.map.call(bytes, function (b) {
      return ('0' + b.toString(16)).slice(-2);
    }).join('');
  }

  function newId() {
    if (window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    // randomUUID exists only in secure contexts; 127.0.0.1 is one, another host name may not be
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return ('0' + x.toString(16)).slice(-2); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  function show(id, text) {
    document.getElementById(id).textContent = text;
  }

  function log(kind, text) {
    var li = document.createElement('li');
    li.className = kind;
    li.textContent = new Date().toISOString().slice(11, 23) + '  ' + text;
    document.getElementById('log').appendChild(li);
  }

  function record(observation) {
    seen.push(observation);
    waiters = waiters.filter(function (w) {
      if (w.predicate(observation)) {
        w.resolve(observation);
        return false;
      }
      return true;
    });
  }

  /** @return a promise of the first observation, seen already or to come, that matches; rejects after timeoutMs */
  function waitFor(what, predicate, timeoutMs) {
    for (var i = 0; i < seen.length; i++) {
      if (predicate(seen[i])) {
        return Promise.resolve(seen[i]);
      }
    }
    return new Promise(function (resolve, reject) {
      var waiter = { predicate: predicate, resolve: null };
      var timer = setTimeout(function () {
        waiters = waiters.filter(function (w) { return w !== waiter; });
        log('failed', 'timed out waiting for ' + what);
        reject(new Error('timed out after ' + timeoutMs + ' ms waiting for ' + what));
      }, timeoutMs);
      waiter.resolve = function (o) {
        clearTimeout(timer);
        resolve(o);
      };
      waiters.push(waiter);
    });
  }

  function transportName() {
    return eb && eb.sockJSConn && eb.sockJSConn.transport ? eb.sockJSConn.transport : null;
  }

  function summary(body) {
    if (body && typeof body === 'object' && body.type) {
      return body.type + (body.correlation_id ? ' (' + body.correlation_id + ')' : '');
    }
    return JSON.stringify(body);
  }

  var api = {
    guestId: guestId,
    busUrl: busUrl,
    loginEnabled: token !== null,

    /**
     * The login step: asks INOS for a bearer token for userId (the development login, POST /api/auth/dev-login on
     * the page's origin), which every frame then carries. Call it before open().
     * @return {Promise<{userId}>}
     */
    login: function (id) {
      var url = new URL('/api/auth/dev-login', window.location.href).href;
      return fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ user_id: id })
      }).then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) {
            throw new Error('login refused: ' + response.status + ' ' + JSON.stringify(body));
          }
          token = body.token;
          userId = body.user_id;
          api.loginEnabled = true;
          log('ok', 'signed in as ' + userId);
          return { userId: userId };
        });
      });
    },

    /**
     * Opens the event bus and settles the frame headers every frame will carry.
     * @return {Promise<{guestId, busUrl, transport, loginEnabled}>}
     */
    open: function (timeoutMs) {
      var headers = { 'inos-guest-id': guestId };
      if (token !== null) {
        // the login step: the bridge reads the bearer token from the frame headers
        headers.Authorization = 'Bearer ' + token;
      }
      show('bus', busUrl);
      show('identity', userId !== null ? userId : guestId);
      show('login', token !== null ? 'bearer token in every frame' : 'none (guest)');
      return new Promise(function (resolve, reject) {
        var timer = setTimeout(function () {
          reject(new Error('the event bus did not open within ' + timeoutMs + ' ms at ' + busUrl));
        }, timeoutMs);
        eb = new EventBus(busUrl);
        eb.defaultHeaders = headers;
        eb.onopen = function () {
          clearTimeout(timer);
          show('connection', 'open (' + transportName() + ')');
          log('ok', 'event bus open over ' + transportName());
          record({ kind: 'open' });
          resolve({ guestId: guestId, userId: userId !== null ? userId : guestId, busUrl: busUrl,
            transport: transportName(), loginEnabled: token !== null });
        };
        eb.onclose = function (e) {
          show('connection', 'closed (' + (e && e.code) + ' ' + (e && e.reason) + ')');
          log('failed', 'event bus closed: ' + (e && e.code) + ' ' + (e && e.reason));
          record({ kind: 'close', code: e && e.code, reason: e && e.reason });
        };
        // err frames that answer no reply handler (a refused register, say) land here
        eb.onerror = function (frame) {
          log('refused', 'bus error: ' + JSON.stringify(frame));
          record({ kind: 'bus-error', frame: frame });
        };
      });
    },

    /** Registers a handler at address; its deliveries (and err frames addressed to it) are recorded. */
    register: function (address) {
      log('', 'register ' + address);
      eb.registerHandler(address, function (err, msg) {
        if (err) {
          log('refused', 'error at ' + address + ': ' + JSON.stringify(err));
          record({ kind: 'handler-error', address: address, error: err });
          return;
        }
        log('ok', 'received at ' + address + ': ' + summary(msg.body));
        record({ kind: 'delivery', address: address, headers: msg.headers || null, body: msg.body });
      });
    },

    /** @return a canonical INOS envelope of type, as the original frontend built them */
    envelope: function (type, data, correlationId) {
      return {
        id: newId(),
        type: type,
        correlation_id: correlationId,
        timestamp: new Date().toISOString(),
        version: '1.0.0',
        source: 'frontend',
        metadata: { global_context: { correlation_id: correlationId, user_id: userId !== null ? userId : guestId } },
        payload: { data: data }
      };
    },

    /**
     * Sends body to address with a reply handler.
     * @return {Promise<{ok, error, headers, body}>} the reply, or the error the client hands the reply handler
     */
    request: function (address, body, timeoutMs) {
      log('', 'send to ' + address + (body && body.correlation_id ? ' (' + body.correlation_id + ')' : ''));
      return new Promise(function (resolve, reject) {
        var timer = setTimeout(function () {
          log('failed', 'no reply from ' + address + ' within ' + timeoutMs + ' ms');
          reject(new Error('no reply from ' + address + ' within ' + timeoutMs + ' ms'));
        }, timeoutMs);
        eb.send(address, body, function (err, msg) {
          clearTimeout(timer);
          if (err) {
            log('refused', 'reply from ' + address + ': error ' + JSON.stringify(err));
            resolve({ ok: false, error: err, headers: null, body: null });
          } else {
            log('ok', 'reply from ' + address + ': ' + summary(msg.body));
            resolve({ ok: true, error: null, headers: msg.headers || null, body: msg.body });
          }
        });
      });
    },

    /** @return a promise of the delivery at address of an event of type (and correlationId, when given) */
    awaitDelivery: function (address, type, correlationId, timeoutMs) {
      return waitFor(type + ' at ' + address, function (o) {
        return o.kind === 'delivery' && o.address === address && o.body && o.body.type === type
          && (!correlationId || o.body.correlation_id === correlationId);
      }, timeoutMs);
    },

    /** @return a promise of the bus error (an err frame for no handler) whose body is code */
    awaitBusError: function (code, timeoutMs) {
      return waitFor('an err frame ' + code, function (o) {
        return o.kind === 'bus-error' && o.frame && o.frame.body === code;
      }, timeoutMs);
    },

    /** @return the connection as the client sees it */
    state: function () {
      return {
        open: eb !== null && eb.state === EventBus.OPEN,
        state: eb === null ? null : eb.state,
        transport: transportName(),
        closes: seen.filter(function (o) { return o.kind === 'close'; }).length
      };
    },

    /** Notes a step of the driver on the page. */
    note: function (text) {
      log('', '— ' + text);
    },

    close: function () {
      if (eb !== null) {
        eb.close();
      }
    }
  };

  window.inosBridgePage = api;
})();
