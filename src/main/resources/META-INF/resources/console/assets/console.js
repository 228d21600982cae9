'use strict';
/*
 * The console's shared helpers. Every change goes to kvsim's own API (/api/v1) as a same-origin fetch with a JSON
 * body, and its answer, or its error's code and message, is what the page shows. Text is only ever set with
 * textContent: nothing the API returns is parsed as HTML.
 */
const kvsim = (() => {
  const box = document.getElementById('message');

  /** Shows a message at the top of the page (an error when ok is false). */
  function show(text, ok) {
    box.textContent = text;
    box.className = 'message ' + (ok ? 'ok' : 'error');
    box.hidden = false;
  }

  class ApiError extends Error {
    constructor(status, code, message) {
      super(message);
      this.status = status;
      this.code = code;
    }
    toString() {
      return (this.code ? this.code + ': ' : '') + this.message;
    }
  }

  /** Calls the API; resolves with the parsed JSON answer (null when empty), rejects with an ApiError. */
  async function api(method, path, body) {
    const init = {method: method, headers: {'Accept': 'application/json'}, credentials: 'same-origin'};
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const res = await fetch(path, init);
    const text = await res.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch (e) {
      data = null;
    }
    if (!res.ok) {
      throw new ApiError(res.status, data && data.code, (data && data.message) || res.status + ' ' + res.statusText);
    }
    return data;
  }

  /** Runs an API change; shows its error, or runs then() (by default: reload the page). */
  async function change(what, then) {
    try {
      const answer = await what();
      if (then) {
        then(answer);
      } else {
        location.reload();
      }
    } catch (e) {
      show(String(e), false);
    }
  }

  /** A new element with text (never HTML). */
  function el(tag, text, className) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    if (className) {
      e.className = className;
    }
    return e;
  }

  /** A table row of cells, each a text or an element. */
  function row(cells) {
    const tr = document.createElement('tr');
    cells.forEach(c => {
      const td = document.createElement('td');
      if (c instanceof Node) {
        td.appendChild(c);
      } else {
        td.textContent = c === null || c === undefined ? '' : String(c);
      }
      tr.appendChild(td);
    });
    return tr;
  }

  function fmt(n, digits) {
    if (n === null || n === undefined || Number.isNaN(n)) {
      return '–';
    }
    return Number(n).toLocaleString('en-US', {maximumFractionDigits: digits === undefined ? 1 : digits});
  }

  /** Runs fn now and then every ms, never two at once. */
  function every(ms, fn) {
    let running = false;
    const tick = async () => {
      if (running) {
        return;
      }
      running = true;
      try {
        await fn();
      } catch (e) {
        // a failed refresh is retried at the next tick
      } finally {
        running = false;
      }
    };
    tick();
    return setInterval(tick, ms);
  }

  const head = document.querySelector('.instance-head[data-instance]');
  return {api, change, show, el, row, fmt, every, instanceId: head ? head.dataset.instance : null};
})();
