'use strict';
// Faults: the instance's faults every 2 s (a fault shows active, then its end), a form to start one, a button to stop one.
(() => {
  const id = kvsim.instanceId;
  const table = document.querySelector('#faults tbody');

  kvsim.every(2000, async () => {
    const faults = await kvsim.api('GET', '/api/v1/instances/' + encodeURIComponent(id) + '/faults');
    table.replaceChildren(...faults.map(f => {
      let stop = '';
      if (f.status !== 'Ended') {
        stop = kvsim.el('button', 'Stop', 'danger');
        stop.type = 'button';
        stop.dataset.stop = f.faultId;
        stop.addEventListener('click', () => kvsim.change(
          () => kvsim.api('DELETE', '/api/v1/faults/' + encodeURIComponent(f.faultId)),
          () => kvsim.show('Stopped ' + f.faultId + '.', true)));
      }
      const r = kvsim.row([kvsim.el('span', f.faultId, 'mono'), f.type, JSON.stringify(f.target || {}), f.status,
        f.startedAt || '–', f.endedAt || '–', f.endReason || '', stop]);
      r.dataset.fault = f.faultId;
      r.dataset.status = f.status;
      return r;
    }));
  });

  const form = document.getElementById('fault');
  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const f = form.elements;
    // the attributes go as typed: when they are not JSON, the API says so
    const parts = ['"type":' + JSON.stringify(f.type.value), '"attributes":' + (f.attributes.value.trim() || '{}')];
    const target = {};
    if (f.shard.value !== '') {
      target.shard = Number(f.shard.value);
    }
    if (f.node.value) {
      target.node = f.node.value;
    }
    parts.push('"target":' + JSON.stringify(target));
    if (f.stream.value) {
      parts.push('"stream":' + JSON.stringify(f.stream.value));
    }
    const commands = f.commands.value.split(',').map(s => s.trim()).filter(s => s);
    if (commands.length || f.keyPattern.value) {
      const match = {};
      if (commands.length) {
        match.commands = commands;
      }
      if (f.keyPattern.value) {
        match.keyPattern = f.keyPattern.value;
      }
      parts.push('"match":' + JSON.stringify(match));
    }
    if (f.durationMs.value !== '') {
      parts.push('"durationMs":' + Number(f.durationMs.value));
    }
    if (f.slaExcluded.checked) {
      parts.push('"slaExcluded":true');
    }
    kvsim.change(() => kvsim.api('POST', '/api/v1/instances/' + encodeURIComponent(id) + '/faults', '{' + parts.join(',') + '}'),
      created => kvsim.show('Started ' + created.faultId + ' (' + created.status + ').', true));
  });
})();
