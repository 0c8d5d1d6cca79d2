package dev.glimpse.testing;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Complete HuggingFace model folders made from the tiny parity fixtures (fixtures/hf, random weights
 * saved by transformers) plus a tokenizer from fixtures/hf-tokenizers, as a user has them.
 */
public final class HfFolders {
  private HfFolders() {}

  /**
   * git + wordpiece-99, llava + llama-bpe-120, blip2 + opt-bpe-120, clip + wordpiece-99; the
   * OPTForCausalLM folders of fixtures/hf-extra (opt_causal_lm, opt_post_ln, opt_proj_dim) + opt-bpe-120.
   */
  public static Path make(Path parent, String fixture) {
    String tokenizer = switch (fixture) {
      case "git", "clip" -> "wordpiece-99";
      case "llava" -> "llama-bpe-120";
      case "blip2", "opt_causal_lm", "opt_post_ln", "opt_proj_dim" -> "opt-bpe-120";
      default -> throw new IllegalArgumentException(fixture);
    };
    String set = fixture.startsWith("opt_") ? "hf-extra/" : "hf/";
    try {
      Path dir = Files.createDirectories(parent.resolve(fixture));
      for (Path source : new Path[] {resource(set + fixture), resource("hf-tokenizers/" + tokenizer)}) {
        try (Stream<Path> files = Files.list(source)) {
          for (Path f : files.toList()) {
            String name = f.getFileName().toString();
            if (!name.startsWith("inputs.") && !name.startsWith("outputs.") && !name.endsWith(".md")
                && Files.isRegularFile(f) && !Files.exists(dir.resolve(name))) {
              Files.copy(f, dir.resolve(name));
            }
          }
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path resource(String name) {
    try {
      return Path.of(HfFolders.class.getResource("/fixtures/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("missing test fixture " + name, e);
    }
  }

  /** A picture that differs with {@code seed}: a coloured disc on a coloured ground. */
  public static BufferedImage picture(int seed, int width, int height) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setColor(Color.getHSBColor((seed * 0.173f) % 1f, 0.6f, 0.9f));
    g.fillRect(0, 0, width, height);
    g.setColor(Color.getHSBColor((seed * 0.411f + 0.5f) % 1f, 0.9f, 0.5f));
    int r = Math.max(4, Math.min(width, height) / 3);
    g.fillOval((seed * 7) % Math.max(1, width - r), (seed * 11) % Math.max(1, height - r), r, r);
    g.dispose();
    return img;
  }

  public static byte[] png(BufferedImage image) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String dataUrl(BufferedImage image) {
    return "data:image/png;base64," + Base64.getEncoder().encodeToString(png(image));
  }
}
