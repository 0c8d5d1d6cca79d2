package dev.glimpse.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.glimpse.generate.Captioner;
import dev.glimpse.generate.Chat;
import dev.glimpse.generate.GenerationConfig;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated {@code POST /v1/chat/completions} body, as far as a captioner reads it: the last user
 * message's text and the conversation's latest image. No text (or "describe"/"caption") captions the
 * image; any other text is a question, answered in the model's VQA prompt format (the question as the
 * text prefix, as {@code glimpse caption --question} and the VQA recipes feed it). A model with a chat
 * template (LLaVA, BLIP-2, Flamingo trained by Glimpse) reads the whole conversation instead, written
 * by its template ({@link Captioner#promptIds}): every user and assistant message, the image in the
 * message that holds it.
 *
 * @param prompt "" to caption, else the question
 * @param promptIds the prompt as the model reads it (without BOS)
 * @param maxTokens tokens to generate at most (already bounded by the model)
 * @param temperature 0 decodes greedily
 */
record ChatRequest(
    String model,
    BufferedImage image,
    String prompt,
    int[] promptIds,
    int maxTokens,
    double temperature,
    double topP,
    int n,
    List<String> stop,
    Long seed,
    boolean stream,
    boolean includeUsage,
    int minTokens) {

  private static final Set<String> ROLES = Set.of("system", "developer", "user", "assistant", "tool");
  private static final Pattern DESCRIBE = Pattern.compile(
      "\\s*(describe|caption)(\\s+(it|this|the|this image|the image|this picture|the picture|this photo|the photo))?"
          + "\\s*[.!?]?\\s*", Pattern.CASE_INSENSITIVE);

  /** The model name a body asks for, or null. */
  static String modelName(JsonObject body) {
    return Fields.string(body, "model", "model");
  }

  /**
   * @param captioner the model's captioner: how prompts are written and how many tokens may follow them
   */
  static ChatRequest parse(JsonObject body, String model, MediaLoader media, int maxBatch, Captioner captioner) {
    JsonArray messages = Fields.array(body, "messages", "messages");
    if (messages == null || messages.isEmpty()) {
      throw ApiException.invalid("messages", "messages: a non-empty list of messages is required");
    }
    String imageUrl = null;
    String imageParam = null;
    String text = null;
    List<String[]> history = new ArrayList<>(); // role, text, "image" when it holds the latest image
    int imageMessage = -1;
    for (int i = 0; i < messages.size(); i++) {
      String param = "messages[" + i + "]";
      JsonObject m = Fields.object(messages.get(i), param);
      String role = Fields.string(m, "role", param + ".role");
      if (role == null || !ROLES.contains(role)) {
        throw ApiException.invalid(param + ".role", param + ".role: expected one of " + ROLES + ", got "
            + (role == null ? "nothing" : "'" + role + "'"));
      }
      JsonElement content = Fields.get(m, "content");
      StringBuilder messageText = new StringBuilder();
      if (content == null) {
        if (role.equals("user")) {
          throw ApiException.invalid(param + ".content", param + ".content: a user message needs content");
        }
      } else if (content.isJsonPrimitive() && content.getAsJsonPrimitive().isString()) {
        messageText.append(content.getAsString());
      } else if (content.isJsonArray()) {
        JsonArray parts = content.getAsJsonArray();
        for (int j = 0; j < parts.size(); j++) {
          String pp = param + ".content[" + j + "]";
          JsonObject part = Fields.object(parts.get(j), pp);
          String type = Fields.string(part, "type", pp + ".type");
          if ("text".equals(type)) {
            String t = Fields.string(part, "text", pp + ".text");
            if (t == null) {
              throw ApiException.invalid(pp + ".text", pp + ".text: a text part needs its text");
            }
            if (messageText.length() > 0) {
              messageText.append(' ');
            }
            messageText.append(t);
          } else if ("image_url".equals(type)) {
            JsonObject iu = Fields.object(Fields.get(part, "image_url"), pp + ".image_url");
            String url = Fields.string(iu, "url", pp + ".image_url.url");
            if (url == null) {
              throw ApiException.invalid(pp + ".image_url.url", pp + ".image_url.url: the image's URL is required");
            }
            if (!role.equals("user")) {
              throw ApiException.invalid(pp, pp + ": images go in user messages");
            }
            imageUrl = url;
            imageParam = pp + ".image_url.url";
            imageMessage = history.size();
          } else {
            throw ApiException.invalid(pp + ".type", pp + ".type: expected 'text' or 'image_url', got "
                + (type == null ? "nothing" : "'" + type + "'"));
          }
        }
      } else {
        throw Fields.wrongType(param + ".content", "a string or a list of content parts", content);
      }
      if (role.equals("user")) {
        text = messageText.toString();
      }
      if (role.equals("user") || role.equals("assistant")) {
        history.add(new String[] {role, messageText.toString()});
      }
    }
    if (text == null) {
      throw ApiException.invalid("messages", "messages: no user message to answer");
    }
    if (imageUrl == null) {
      throw ApiException.invalid("messages", "messages: model '" + model + "' reads images: add an image_url part "
          + "({\"type\": \"image_url\", \"image_url\": {\"url\": \"data:image/png;base64,...\"}}) to a user message");
    }
    String prompt = DESCRIBE.matcher(text).matches() || text.isBlank() ? "" : text.trim();
    unsupported(body);

    int[] promptIds;
    try {
      promptIds = captioner.promptIds(prompt, conversation(history, imageMessage, captioner));
    } catch (dev.glimpse.util.GlimpseException e) {
      throw ApiException.invalid("messages", "messages: " + e.getMessage());
    }
    int room = captioner.roomAfter(promptIds);
    Long maxTokens = Fields.integer(body, "max_completion_tokens", "max_completion_tokens");
    String maxParam = "max_completion_tokens";
    if (maxTokens == null) {
      maxTokens = Fields.integer(body, "max_tokens", "max_tokens");
      maxParam = "max_tokens";
    }
    if (room < 1) {
      throw ApiException.invalid("messages", "messages: the question leaves model '" + model
          + "' no text positions to answer in; ask a shorter one");
    }
    if (maxTokens != null && maxTokens < 1) {
      throw ApiException.invalid(maxParam, maxParam + ": must be >= 1, got " + maxTokens);
    }
    if (maxTokens != null && maxTokens > room) {
      throw ApiException.invalid(maxParam, maxParam + ": " + maxTokens + " is more than model '" + model
          + "' can generate after this prompt (at most " + room + ")");
    }
    Double temperature = Fields.number(body, "temperature", "temperature");
    if (temperature != null && (temperature < 0 || temperature > 2)) {
      throw ApiException.invalid("temperature", "temperature: must be in [0, 2], got " + temperature);
    }
    Double topP = Fields.number(body, "top_p", "top_p");
    if (topP != null && (topP <= 0 || topP > 1)) {
      throw ApiException.invalid("top_p", "top_p: must be in (0, 1], got " + topP);
    }
    Long n = Fields.integer(body, "n", "n");
    if (n != null && (n < 1 || n > maxBatch)) {
      throw ApiException.invalid("n", "n: must be in [1, " + maxBatch + "] (the server's --max-batch), got " + n);
    }
    List<String> stop = stops(body);
    Long seed = Fields.integer(body, "seed", "seed");
    Boolean stream = Fields.bool(body, "stream", "stream");
    boolean includeUsage = false;
    JsonElement so = Fields.get(body, "stream_options");
    if (so != null) {
      Boolean u = Fields.bool(Fields.object(so, "stream_options"), "include_usage", "stream_options.include_usage");
      includeUsage = u != null && u;
    }
    Long minTokens = Fields.integer(body, "min_tokens", "min_tokens"); // vLLM's extension: no EOS before
    int budget = maxTokens == null ? room : maxTokens.intValue();
    if (minTokens != null && (minTokens < 0 || minTokens > budget)) {
      throw ApiException.invalid("min_tokens", "min_tokens: must be in [0, " + budget + "], got " + minTokens);
    }
    BufferedImage image = media.load(imageUrl, imageParam);
    return new ChatRequest(model, image, prompt, promptIds, maxTokens == null ? room : maxTokens.intValue(),
        temperature == null ? 0 : temperature, topP == null ? 1 : topP, n == null ? 1 : n.intValue(), stop, seed,
        stream != null && stream, includeUsage, minTokens == null ? 0 : minTokens.intValue());
  }

  /**
   * The conversation for a model with a chat template (empty without one: it reads the last question
   * alone): user and assistant messages in order, the image in the message that holds it; an empty
   * first message of a described image becomes the template's caption request.
   */
  private static List<Chat.Message> conversation(List<String[]> history, int imageMessage, Captioner captioner) {
    if (captioner.tokenizer().chatTemplate() == null || history.size() < 2) {
      return List.of();
    }
    List<Chat.Message> out = new ArrayList<>();
    for (int i = 0; i < history.size(); i++) {
      String[] m = history.get(i);
      String text = m[1].isBlank() || DESCRIBE.matcher(m[1]).matches()
          ? captioner.tokenizer().chatTemplate().caption() : m[1].trim();
      out.add(m[0].equals("user") ? Chat.Message.user(text, i == imageMessage ? 0 : -1) : Chat.Message.assistant(m[1]));
    }
    return out;
  }

  private static List<String> stops(JsonObject body) {
    JsonElement e = Fields.get(body, "stop");
    List<String> out = new ArrayList<>();
    if (e == null) {
      return out;
    }
    if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
      out.add(e.getAsString());
    } else if (e.isJsonArray()) {
      JsonArray a = e.getAsJsonArray();
      if (a.size() > 4) {
        throw ApiException.invalid("stop", "stop: at most 4 stop sequences, got " + a.size());
      }
      for (int i = 0; i < a.size(); i++) {
        JsonElement s = a.get(i);
        if (!(s.isJsonPrimitive() && s.getAsJsonPrimitive().isString())) {
          throw Fields.wrongType("stop[" + i + "]", "a string", s);
        }
        out.add(s.getAsString());
      }
    } else {
      throw Fields.wrongType("stop", "a string or a list of strings", e);
    }
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).isEmpty()) {
        throw ApiException.invalid("stop", "stop: stop sequences cannot be empty");
      }
    }
    return out;
  }

  // Options a captioner cannot honour are refused rather than silently ignored.
  private static void unsupported(JsonObject body) {
    Boolean logprobs = Fields.bool(body, "logprobs", "logprobs");
    if (logprobs != null && logprobs) {
      throw ApiException.invalid("logprobs", "logprobs: not supported by this server");
    }
    JsonArray tools = Fields.array(body, "tools", "tools");
    if (tools != null && !tools.isEmpty()) {
      throw ApiException.invalid("tools", "tools: this model does not call tools");
    }
    for (String penalty : new String[] {"frequency_penalty", "presence_penalty"}) {
      Double p = Fields.number(body, penalty, penalty);
      if (p != null && p != 0) {
        throw ApiException.invalid(penalty, penalty + ": not supported by this server (only 0)");
      }
    }
    JsonElement format = Fields.get(body, "response_format");
    if (format != null) {
      String type = Fields.string(Fields.object(format, "response_format"), "type", "response_format.type");
      if (type != null && !type.equals("text")) {
        throw ApiException.invalid("response_format", "response_format: only 'text' is supported, got '" + type + "'");
      }
    }
  }

  /** One decoding setting per choice: greedy at temperature 0, else sampling (choice i seeded seed + i). */
  List<GenerationConfig> choices() {
    List<GenerationConfig> out = new ArrayList<>();
    long base = seed != null ? seed : new java.security.SecureRandom().nextLong();
    for (int i = 0; i < n; i++) {
      out.add(temperature == 0 ? GenerationConfig.greedy(maxTokens)
          : GenerationConfig.sample(maxTokens, temperature, 0, topP, base + i));
    }
    return out;
  }
}
