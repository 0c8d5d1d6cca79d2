// The official OpenAI Node library against a running `glimpse serve`, unchanged: chat with an image,
// streaming, embeddings. Usage: node check.mjs http://127.0.0.1:8080/v1 CHAT_MODEL [EMBEDDING_MODEL] IMAGE.png
import OpenAI from 'openai';
import { readFileSync } from 'node:fs';

const [baseURL, chatModel, embedModel, imagePath] = process.argv.slice(2);
const client = new OpenAI({ baseURL, apiKey: process.env.GLIMPSE_API_KEY || 'none' });
const image = 'data:image/png;base64,' + readFileSync(imagePath).toString('base64');
const content = (text) => [{ type: 'text', text }, { type: 'image_url', image_url: { url: image } }];

const caption = await client.chat.completions.create({
  model: chatModel,
  messages: [{ role: 'user', content: content('describe') }],
  max_tokens: 12,
});
console.log('chat:', JSON.stringify(caption.choices[0].message.content), caption.choices[0].finish_reason,
  JSON.stringify(caption.usage));

const stream = await client.chat.completions.create({
  model: chatModel,
  messages: [{ role: 'user', content: content('what is in the picture?') }],
  stream: true,
  stream_options: { include_usage: true },
});
let text = '';
let chunks = 0;
for await (const chunk of stream) {
  if (chunk.choices.length && chunk.choices[0].delta.content) {
    text += chunk.choices[0].delta.content;
    chunks += 1;
  }
  if (chunk.usage) console.log('stream usage:', JSON.stringify(chunk.usage));
}
console.log('stream:', chunks, 'chunks:', JSON.stringify(text));

if (embedModel && embedModel !== '-') {
  const embeddings = await client.embeddings.create({ model: embedModel, input: ['a red disc', 'a blue square'] });
  const v = embeddings.data[0].embedding;
  console.log('embeddings:', embeddings.data.length, 'vectors of', v.length, 'norm',
    Math.sqrt(v.reduce((s, x) => s + x * x, 0)).toFixed(4));
  const asFloat = await client.embeddings.create({ model: embedModel, input: 'a red disc', encoding_format: 'float' });
  console.log('float and base64 agree:', Math.max(...asFloat.data[0].embedding.map((x, i) => Math.abs(x - v[i]))) < 1e-6);
}
try {
  await client.chat.completions.create({ model: 'no-such-model', messages: [{ role: 'user', content: 'hi' }] });
} catch (e) {
  console.log('error:', e.status, e.constructor.name, JSON.stringify(e.error && e.error.message));
}
