'use strict';
// The instance list: live status and ops/s; create and delete through the API.
(() => {
  const form = document.getElementById('create');
  const classSelect = form.elements.instanceClass;
  const shards = form.elements.shardCount;

  const syncShards = () => {
    const cluster = classSelect.selectedOptions[0].dataset.cluster === 'true';
    shards.disabled = !cluster;
    shards.max = classSelect.selectedOptions[0].dataset.shards;
  };
  classSelect.addEventListener('change', syncShards);
  syncShards();

  form.addEventListener('submit', ev => {
    ev.preventDefault();
    const f = form.elements;
    const body = {instanceClass: f.instanceClass.value};
    if (f.name.value.trim()) {
      body.name = f.name.value.trim();
    }
    if (f.password.value) {
      body.password = f.password.value;
    }
    if (f.port.value) {
      body.port = Number(f.port.value);
    }
    if (!f.shardCount.disabled && f.shardCount.value) {
      body.overrides = {shardCount: Number(f.shardCount.value)};
    }
    kvsim.change(() => kvsim.api('POST', '/api/v1/instances', body), created => {
      kvsim.show('Created ' + created.instanceId + ' (' + created.status + ') on port ' + created.port + '.', true);
      setTimeout(() => location.reload(), 500);
    });
  });

  document.querySelectorAll('[data-delete]').forEach(b => b.addEventListener('click', () => {
    const id = b.dataset.delete;
    if (confirm('Delete ' + id + '? Its nodes stop and its data is removed.')) {
      kvsim.change(() => kvsim.api('DELETE', '/api/v1/instances/' + encodeURIComponent(id)));
    }
  }));

  const rows = new Map();
  document.querySelectorAll('#instances tr[data-instance]').forEach(r => rows.set(r.dataset.instance, r));

  kvsim.every(1000, async () => {
    const latest = await kvsim.api('GET', '/api/v1/metrics/latest?keys=UsedQPS');
    rows.forEach((r, id) => {
      const l = latest[id];
      r.querySelector('[data-field=ops]').textContent = l ? kvsim.fmt(l.values.UsedQPS, 0) : '–';
    });
  });
  kvsim.every(2000, async () => {
    const list = await kvsim.api('GET', '/api/v1/instances');
    if (list.length !== rows.size || list.some(i => !rows.has(i.instanceId))) {
      location.reload();  // created or deleted elsewhere
      return;
    }
    list.forEach(i => {
      const s = rows.get(i.instanceId).querySelector('[data-field=status]');
      s.textContent = i.status;
    });
  });
})();
