'use strict';
// Places the timeline's marks and fault spans along the axis (the positions come from the server, 0 to 100).
(() => {
  document.querySelectorAll('#timeline .mark').forEach(m => {
    m.style.left = m.dataset.at + '%';
  });
  let lane = 0;
  document.querySelectorAll('#timeline .span').forEach(s => {
    const from = Number(s.dataset.from);
    const to = Number(s.dataset.to);
    s.style.left = from + '%';
    s.style.width = Math.max(0.5, to - from) + '%';
    s.style.top = (4 + 22 * (lane++ % 4)) + 'px';
  });
})();
