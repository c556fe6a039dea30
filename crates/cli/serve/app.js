// The handout page's script. The form works without it, as a plain form
// that posts and returns the PDF; with it, the fit line and the preview
// follow the form as it changes, and a roster can be uploaded.
'use strict';

(() => {
  document.documentElement.classList.add('js');

  const form = document.getElementById('handout');
  const fitLine = document.getElementById('fit');
  const preview = document.getElementById('preview');
  const choice = document.getElementById('choice');

  // Another leaflet is another form: its sections and items differ.
  choice?.addEventListener('change', () => choice.form.submit());

  // The form's fields as JSON, a list for a field given more than once.
  function fields() {
    const data = {};
    for (const [name, value] of new FormData(form)) {
      if (typeof value === 'string') (data[name] ??= []).push(value);
    }
    return data;
  }

  function postJson(url, body, signal) {
    return fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      signal,
      cache: 'no-store',
    });
  }

  // Device pixels per point at which the preview is shown, so that the
  // server can put its glyphs on the screen's pixels as a PDF viewer does.
  function scale() {
    const svg = preview.querySelector('svg');
    const box = svg?.viewBox?.baseVal;
    if (!box || !box.width) return null;
    const width = svg.getBoundingClientRect().width;
    return width > 0 ? (width * window.devicePixelRatio) / box.width : null;
  }

  // The glyphs are placed for a page that starts on a whole device pixel,
  // as a PDF viewer starts its pages; the layout around the preview may
  // put it between two, so it is moved back by the fraction.
  function align() {
    const svg = preview.querySelector('svg');
    if (!svg) return;
    // A relative position moves it where it is painted; a transform would
    // move an image of it, blurred.
    svg.style.position = 'relative';
    svg.style.left = '0';
    svg.style.top = '0';
    const box = svg.getBoundingClientRect();
    const ratio = window.devicePixelRatio;
    const offset = (at) => ((at * ratio) % 1) / ratio;
    svg.style.left = `${-offset(box.left + window.scrollX)}px`;
    svg.style.top = `${-offset(box.top + window.scrollY)}px`;
  }

  // A fit line of another length moves the preview below it.
  new ResizeObserver(align).observe(fitLine);

  function showFit(answer) {
    fitLine.textContent = answer.message;
    fitLine.classList.toggle('fits', answer.fits);
    fitLine.classList.toggle('over', !answer.fits);
    for (const marked of form.querySelectorAll('[aria-invalid="true"]')) {
      marked.removeAttribute('aria-invalid');
    }
    const field = answer.field && document.getElementById(answer.field);
    if (field) field.setAttribute('aria-invalid', 'true');
  }

  let timer = 0;
  let sequence = 0;
  let controller = null;

  // `data-busy` is set while an update waits or runs: the page's own
  // state, for whoever needs to know that the preview is final.
  function schedule(delay) {
    clearTimeout(timer);
    preview.dataset.busy = '1';
    timer = setTimeout(() => {
      timer = 0;
      update();
    }, delay);
  }

  async function update() {
    const mine = ++sequence;
    preview.dataset.busy = '1';
    controller?.abort();
    controller = new AbortController();
    const { signal } = controller;
    const data = fields();
    try {
      const answer = await (await postJson('/api/fit', data, signal)).json();
      if (mine !== sequence) return;
      showFit(answer);
      preview.classList.toggle('stale', !answer.fits);
      if (!answer.fits) return;
      const px = scale();
      if (px) data.px_per_pt = [String(px)];
      const response = await postJson('/api/preview', data, signal);
      if (!response.ok) return;
      const svg = await response.text();
      if (mine !== sequence) return;
      preview.innerHTML = svg;
      align();
      // The scale its glyphs were placed for, which a later resize may
      // have left behind until the next preview comes.
      preview.dataset.scale = px ? String(px) : '';
      preview.dataset.updated = String(mine);
      preview.dispatchEvent(new Event('previewed'));
    } catch (error) {
      if (error.name === 'AbortError') return;
      showFit({
        fits: false,
        message: 'The page lost touch with handout. Is its window still open?',
      });
    } finally {
      if (mine === sequence && !timer) delete preview.dataset.busy;
    }
  }

  form.addEventListener('input', () => schedule(40));
  form.addEventListener('change', () => schedule(0));
  let width = 0;
  window.addEventListener('resize', () => {
    if (preview.clientWidth !== width) {
      width = preview.clientWidth;
      schedule(150);
    }
  });
  width = preview.clientWidth;
  update();

  // The roster.
  const batch = document.getElementById('batch-form');
  const roster = document.getElementById('roster');
  const result = document.getElementById('batch-result');
  const checkButton = document.getElementById('batch-check');
  const combinedButton = document.getElementById('batch-combined');
  const zipButton = document.getElementById('batch-zip');

  function query() {
    const params = new URLSearchParams();
    params.set('date', document.getElementById('batch-date').value);
    params.set('paper', document.getElementById('batch-paper').value);
    if (document.getElementById('allow-draft').checked) params.set('allow_draft', '1');
    if (roster.files[0]) params.set('file', roster.files[0].name);
    return params.toString();
  }

  function say(...nodes) {
    result.replaceChildren(...nodes);
  }

  function paragraph(text, className) {
    const p = document.createElement('p');
    p.textContent = text;
    if (className) p.className = className;
    return p;
  }

  function ready(enabled) {
    combinedButton.disabled = !enabled;
    zipButton.disabled = !enabled;
  }

  async function send(path) {
    const file = roster.files[0];
    if (!file) {
      say(paragraph('Choose the roster file first.', 'problem'));
      return null;
    }
    const response = await fetch(`${path}?${query()}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: file,
      cache: 'no-store',
    });
    if (!response.ok) {
      say(paragraph(await response.text(), 'problem'));
      ready(false);
      return null;
    }
    return response;
  }

  async function check() {
    ready(false);
    say(paragraph('Checking every row…'));
    const response = await send('/api/batch/check');
    if (!response) return;
    const answer = await response.json();
    const nodes = [];
    const failed = answer.failed.length;
    nodes.push(
      paragraph(
        `${answer.rows} ${answer.rows === 1 ? 'patient' : 'patients'}: ` +
          `${answer.ready} ready` +
          (failed ? `, ${failed} with a problem (left out until it is corrected):` : '.'),
        failed ? 'over' : 'fits',
      ),
    );
    if (failed) {
      const table = document.createElement('table');
      const caption = table.createCaption();
      caption.textContent = 'Rows that cannot be made';
      const head = table.createTHead().insertRow();
      for (const title of ['Row', 'Problem']) {
        const th = document.createElement('th');
        th.scope = 'col';
        th.textContent = title;
        head.append(th);
      }
      const body = table.createTBody();
      for (const row of answer.failed) {
        const line = body.insertRow();
        const th = document.createElement('th');
        th.scope = 'row';
        th.textContent = String(row.row);
        line.append(th);
        line.insertCell().textContent = row.message;
      }
      nodes.push(table);
    }
    for (const note of answer.notes) nodes.push(paragraph(`Note: ${note}`));
    for (const warning of answer.warnings) nodes.push(paragraph(`Warning: ${warning}`, 'over'));
    if (answer.refused) nodes.push(paragraph(answer.refused, 'problem'));
    say(...nodes);
    ready(answer.ready > 0 && !answer.refused);
  }

  // The file's name from Content-Disposition, in full where it is given.
  function fileName(response, fallback) {
    const header = response.headers.get('Content-Disposition') || '';
    const encoded = /filename\*=UTF-8''([^;]+)/i.exec(header);
    if (encoded) return decodeURIComponent(encoded[1]);
    const plain = /filename="([^"]+)"/i.exec(header);
    return plain ? plain[1] : fallback;
  }

  async function download(path, button) {
    const label = button.textContent;
    button.disabled = true;
    button.textContent = 'Making the handouts…';
    try {
      const response = await send(path);
      if (!response) return;
      const blob = await response.blob();
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = fileName(response, 'handouts');
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
    } catch (error) {
      say(paragraph(`The download failed: ${error.message}`, 'problem'));
    } finally {
      button.textContent = label;
      button.disabled = false;
    }
  }

  checkButton.addEventListener('click', check);
  combinedButton.addEventListener('click', () => download('/api/batch/combined', combinedButton));
  zipButton.addEventListener('click', () => download('/api/batch/zip', zipButton));
  // A change to what the files would be asks for a new check.
  batch.addEventListener('change', () => {
    if (roster.files[0]) check();
    else ready(false);
  });
})();
