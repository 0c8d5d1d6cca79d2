package dev.glimpse.cli;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.glimpse.data.Images;
import dev.glimpse.generate.Captioner;
import dev.glimpse.generate.Chat;
import dev.glimpse.generate.GenerationConfig;
import dev.glimpse.nn.Devices;
import dev.glimpse.train.LoadedModel;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code glimpse chat}: a multi-turn conversation with a model about images. */
@Command(name = "chat", mixinStandardHelpOptions = true,
    description = {"Talk with a model about images, turn after turn: each --message (or, without any, each line of",
        "standard input) is a user message; message i shows image i (the first the first image, and so on); the",
        "model's chat template (saved with its tokenizer) writes the whole conversation into each prompt."})
public final class ChatCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Option(names = "--checkpoint", required = true, paramLabel = "DIR|hf:ID",
      description = "Checkpoint folder, run folder, HF model folder or hf:ORG/NAME[@REVISION].")
  String checkpoint;

  @Mixin HubOptions hub;

  @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "The images the conversation is about.")
  List<Path> inputs;

  @Option(names = "--message", paramLabel = "TEXT",
      description = "A user message (repeat for several turns); without any, messages are read from standard input.")
  List<String> messages;

  @Mixin DecodingOptions decoding;

  @Mixin DeviceOption device;

  @Override
  public Integer call() {
    List<Path> files = CaptionCommand.imageFiles(inputs);
    List<BufferedImage> images = new ArrayList<>();
    for (Path f : files) {
      images.add(Images.read(f));
    }
    try (NDManager manager = Devices.manager(device.device()); LoadedModel loaded = LoadedModel.load(hub.resolve(checkpoint),
        manager)) {
      GenerationConfig cfg = decoding.config(loaded.model().maxTextLength());
      Captioner captioner = new Captioner(loaded.model(), loaded.tokenizer(), loaded.transform(), loaded.manager());
      List<Chat.Message> history = new ArrayList<>();
      JsonArray transcript = new JsonArray();
      BufferedReader stdin = messages == null
          ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)) : null;
      int turn = 0;
      while (true) {
        String text = stdin == null ? (turn < messages.size() ? messages.get(turn) : null) : readLine(stdin);
        if (text == null) {
          break;
        }
        if (text.isBlank()) {
          continue;
        }
        history.add(Chat.Message.user(text, turn < images.size() ? turn : -1)); // message i shows image i
        String reply = Chat.reply(captioner, loaded.tokenizer(), images, history, cfg);
        history.add(Chat.Message.assistant(reply));
        if (!common.json) {
          System.out.println(reply);
          System.out.flush();
        }
        JsonObject t = new JsonObject();
        t.addProperty("user", text);
        t.addProperty("assistant", reply);
        transcript.add(t);
        turn++;
      }
      JsonObject out = new JsonObject();
      out.addProperty("checkpoint", loaded.source().toString());
      out.addProperty("chat_template", loaded.tokenizer().chatTemplate() == null ? "none"
          : loaded.tokenizer().chatTemplate().name());
      out.add("turns", transcript);
      common.printJson(out);
    }
    return 0;
  }

  private static String readLine(BufferedReader in) {
    try {
      return in.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
