// Glimpse web page: caption an image and ask about it through the server's own OpenAI API
// (/v1/chat/completions, streamed), and show where each generated word looked (/v1/glimpse/attention).
'use strict';

const $ = (id) => document.getElementById(id);
const state = { image: null, models: [], attention: new Map() };

function headers() {
  const h = { 'Content-Type': 'application/json' };
  const key = sessionStorage.getItem('glimpse-key');
  if (key) h.Authorization = 'Bearer ' + key;
  return h;
}

function status(text, isError) {
  $('status').textContent = text || '';
  $('status').classList.toggle('error', !!isError);
}

async function api(path, options) {
  const response = await fetch(path, Object.assign({ headers: headers() }, options || {}));
  if (response.status === 401) {
    $('key-box').hidden = false;
    throw new Error('this server needs an API key: enter it above');
  }
  if (!response.ok) {
    let message = response.status + ' ' + response.statusText;
    try { message = (await response.json()).error.message; } catch (e) { /* not JSON */ }
    throw new Error(message);
  }
  return response;
}

async function loadModels() {
  try {
    const list = await (await api('/v1/models')).json();
    state.models = list.data.filter((m) => m.kind === 'chat');
    const select = $('model');
    select.innerHTML = '';
    for (const m of state.models) {
      const option = document.createElement('option');
      option.value = m.id;
      option.textContent = m.id;
      select.appendChild(option);
    }
    if (!state.models.length) status('no captioning model is served here', true);
    updateButtons();
  } catch (e) {
    status(e.message, true);
  }
}

function currentModel() {
  return state.models.find((m) => m.id === $('model').value);
}

function updateButtons() {
  const ready = !!state.image && !!currentModel();
  $('caption-btn').disabled = !ready;
  $('ask-btn').disabled = !ready;
}

function setImage(file) {
  if (!file || !file.type.startsWith('image/')) {
    status('that is not an image', true);
    return;
  }
  const reader = new FileReader();
  reader.onload = () => {
    state.image = reader.result; // a data: URL, sent inline
    state.attention.clear();
    $('preview').src = state.image;
    $('frame').hidden = false;
    $('drop-hint').hidden = true;
    $('caption').textContent = '';
    $('answer').textContent = '';
    status('');
    updateButtons();
  };
  reader.readAsDataURL(file);
}

// Reads an SSE stream of chat.completion.chunk objects, calling onText with each content delta.
async function streamChat(prompt, target) {
  const content = [{ type: 'image_url', image_url: { url: state.image } }];
  if (prompt) content.unshift({ type: 'text', text: prompt });
  const body = { model: $('model').value, stream: true, messages: [{ role: 'user', content }] };
  const response = await api('/v1/chat/completions', { method: 'POST', body: JSON.stringify(body) });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let text = '';
  let chunks = 0;
  target.textContent = '';
  target.classList.add('busy');
  target.dataset.chunks = '0';
  target.dataset.done = 'false';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        for (const line of event.split('\n')) {
          if (!line.startsWith('data:')) continue;
          const data = line.slice(5).trim();
          if (data === '[DONE]') continue;
          const chunk = JSON.parse(data);
          if (chunk.error) throw new Error(chunk.error.message);
          const delta = chunk.choices && chunk.choices[0] && chunk.choices[0].delta;
          if (delta && delta.content) {
            text += delta.content;
            chunks += 1;
            target.textContent = text;
            target.dataset.chunks = String(chunks);
          }
        }
      }
    }
  } finally {
    target.classList.remove('busy');
  }
  renderWords(target, text, prompt);
  target.dataset.done = 'true';
  return text;
}

// Wraps each word of the answer in a span that shows its attention map on hover.
function renderWords(target, text, prompt) {
  target.textContent = '';
  const re = /\S+/g;
  let last = 0;
  let match;
  while ((match = re.exec(text)) !== null) {
    target.appendChild(document.createTextNode(text.slice(last, match.index)));
    const span = document.createElement('span');
    span.className = 'word';
    span.textContent = match[0];
    span.dataset.start = String(match.index);
    span.dataset.end = String(match.index + match[0].length);
    span.addEventListener('mouseenter', () => showHeat(span, text, prompt));
    span.addEventListener('mouseleave', hideHeat);
    target.appendChild(span);
    last = match.index + match[0].length;
  }
  target.appendChild(document.createTextNode(text.slice(last)));
  const model = currentModel();
  $('heat-note').textContent = model && model.attention_maps
    ? 'Hover a word to see where the model looked when it wrote it.'
    : 'This model does not expose attention maps.';
}

async function attentionFor(text, prompt) {
  const key = $('model').value + '\u0000' + prompt + '\u0000' + text;
  if (!state.attention.has(key)) {
    const body = { model: $('model').value, image_url: { url: state.image }, prompt, text };
    state.attention.set(key, api('/v1/glimpse/attention', { method: 'POST', body: JSON.stringify(body) })
      .then((r) => r.json()));
  }
  return state.attention.get(key);
}

async function showHeat(span, text, prompt) {
  const model = currentModel();
  if (!model || !model.attention_maps) return;
  span.classList.add('active');
  let map;
  try {
    map = await attentionFor(text, prompt);
  } catch (e) {
    status(e.message, true);
    return;
  }
  if (!span.classList.contains('active')) return; // the pointer left meanwhile
  const start = Number(span.dataset.start);
  const end = Number(span.dataset.end);
  const cells = map.grid.rows * map.grid.columns;
  const sum = new Array(cells).fill(0);
  let used = 0;
  for (const t of map.tokens) {
    if (t.end > start && t.start < end && t.text.trim()) {
      t.weights.forEach((w, i) => { sum[i] += w; });
      used += 1;
    }
  }
  if (!used) return;
  drawHeat(map.grid, sum, span.textContent);
}

function drawHeat(grid, weights, word) {
  const img = $('preview');
  const canvas = $('heatmap');
  canvas.width = img.clientWidth;
  canvas.height = img.clientHeight;
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const sx = canvas.width / grid.canvas.image_width;
  const sy = canvas.height / grid.canvas.image_height;
  const left = grid.canvas.left * sx;
  const top = grid.canvas.top * sy;
  const cw = (grid.canvas.right - grid.canvas.left) * sx / grid.columns;
  const ch = (grid.canvas.bottom - grid.canvas.top) * sy / grid.rows;
  const max = Math.max(...weights) || 1;
  ctx.fillStyle = 'rgba(20, 24, 30, 0.45)';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  for (let r = 0; r < grid.rows; r++) {
    for (let c = 0; c < grid.columns; c++) {
      const w = weights[r * grid.columns + c] / max;
      ctx.clearRect(left + c * cw, top + r * ch, cw + 0.5, ch + 0.5);
      ctx.fillStyle = 'rgba(255, 60, 30, ' + (0.75 * w).toFixed(3) + ')';
      ctx.fillRect(left + c * cw, top + r * ch, cw + 0.5, ch + 0.5);
      ctx.fillStyle = 'rgba(20, 24, 30, ' + (0.45 * (1 - w)).toFixed(3) + ')';
      ctx.fillRect(left + c * cw, top + r * ch, cw + 0.5, ch + 0.5);
    }
  }
  canvas.dataset.word = word;
  canvas.classList.add('visible');
}

function hideHeat() {
  document.querySelectorAll('.word.active').forEach((w) => w.classList.remove('active'));
  $('heatmap').classList.remove('visible');
}

async function run(prompt, target, button) {
  button.disabled = true;
  status(prompt ? 'answering...' : 'captioning...');
  try {
    await streamChat(prompt, target);
    status('');
  } catch (e) {
    target.textContent = '';
    status(e.message, true);
  } finally {
    updateButtons();
  }
}

$('caption-btn').addEventListener('click', () => run('', $('caption'), $('caption-btn')));
$('ask-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const q = $('question').value.trim();
  if (q) run(q, $('answer'), $('ask-btn'));
});
$('file').addEventListener('change', (e) => setImage(e.target.files[0]));
$('model').addEventListener('change', () => { state.attention.clear(); updateButtons(); });
$('api-key').addEventListener('change', (e) => {
  sessionStorage.setItem('glimpse-key', e.target.value);
  loadModels();
});
const drop = $('drop');
drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (e) => {
  e.preventDefault();
  drop.classList.remove('over');
  if (e.dataTransfer.files.length) setImage(e.dataTransfer.files[0]);
});
document.addEventListener('paste', (e) => {
  for (const item of e.clipboardData.items) {
    if (item.type.startsWith('image/')) {
      setImage(item.getAsFile());
      return;
    }
  }
});
loadModels();
