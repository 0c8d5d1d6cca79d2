"""The official OpenAI Python library against a running `glimpse serve`, unchanged: chat with an image,
streaming with usage, embeddings (base64 by default, compared with float) and a 404 error.
Python twin of check.mjs. Usage: python check.py http://127.0.0.1:8080/v1 CHAT_MODEL [EMBEDDING_MODEL|-] IMAGE.png
Exits non-zero when a check fails."""
import base64
import math
import os
import sys

import openai
from openai import OpenAI


def main(argv):
    if len(argv) not in (3, 4):
        sys.exit("usage: python check.py BASE_URL CHAT_MODEL [EMBEDDING_MODEL|-] IMAGE.png")
    base_url, chat_model = argv[0], argv[1]
    embed_model, image_path = (argv[2], argv[3]) if len(argv) == 4 else ("-", argv[2])
    client = OpenAI(base_url=base_url, api_key=os.environ.get("GLIMPSE_API_KEY") or "none")
    with open(image_path, "rb") as f:
        image = "data:image/png;base64," + base64.b64encode(f.read()).decode()

    def content(text):
        return [{"type": "text", "text": text}, {"type": "image_url", "image_url": {"url": image}}]

    failures = []

    def check(ok, what):
        if not ok:
            failures.append(what)
            print("FAILED:", what)

    print("openai", openai.__version__, "on Python", sys.version.split()[0])

    caption = client.chat.completions.create(
        model=chat_model, messages=[{"role": "user", "content": content("describe")}], max_tokens=12)
    choice = caption.choices[0]
    print("chat:", repr(choice.message.content), choice.finish_reason, caption.usage.model_dump())
    check(caption.object == "chat.completion", "chat: object is chat.completion")
    check(choice.message.role == "assistant" and choice.message.content, "chat: an assistant message with text")
    check(choice.finish_reason in ("stop", "length"), "chat: finish_reason")
    check(caption.usage.completion_tokens <= 12, "chat: max_tokens honoured")
    check(caption.usage.total_tokens == caption.usage.prompt_tokens + caption.usage.completion_tokens,
          "chat: usage adds up")

    stream = client.chat.completions.create(
        model=chat_model, messages=[{"role": "user", "content": content("what is in the picture?")}],
        stream=True, stream_options={"include_usage": True})
    text, chunks, usage, finish = "", 0, None, None
    for chunk in stream:
        if chunk.choices:
            if chunk.choices[0].delta.content:
                text += chunk.choices[0].delta.content
                chunks += 1
            finish = chunk.choices[0].finish_reason or finish
        if chunk.usage:
            usage = chunk.usage
            print("stream usage:", usage.model_dump())
    print("stream:", chunks, "chunks:", repr(text), finish)
    check(chunks > 0 and text, "stream: text in chunks")
    check(finish in ("stop", "length"), "stream: a finish_reason")
    check(usage is not None and usage.completion_tokens >= 1, "stream: a usage chunk")

    if embed_model != "-":
        embeddings = client.embeddings.create(model=embed_model, input=["a red disc", "a blue square"])
        v = embeddings.data[0].embedding
        norm = math.sqrt(sum(x * x for x in v))
        print("embeddings:", len(embeddings.data), "vectors of", len(v), "norm", f"{norm:.4f}")
        check(len(embeddings.data) == 2 and [d.index for d in embeddings.data] == [0, 1], "embeddings: two, in order")
        check(abs(norm - 1) < 1e-4, "embeddings: L2-normalised")
        as_float = client.embeddings.create(model=embed_model, input="a red disc", encoding_format="float")
        w = as_float.data[0].embedding
        agree = len(w) == len(v) and max(abs(x - y) for x, y in zip(v, w)) < 1e-6
        print("float and base64 agree:", agree)
        check(agree, "embeddings: base64 (the library's default) equals float")

    try:
        client.chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "hi"}])
        check(False, "error: an unknown model raises")
    except openai.NotFoundError as e:
        print("error:", e.status_code, type(e).__name__, repr(e.body.get("message") if isinstance(e.body, dict) else e.body))
        check(e.status_code == 404 and isinstance(e.body, dict) and e.body.get("code") == "model_not_found",
              "error: 404 model_not_found")

    print("all checks passed" if not failures else f"{len(failures)} check(s) failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
