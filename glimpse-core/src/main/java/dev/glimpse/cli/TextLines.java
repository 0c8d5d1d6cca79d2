package dev.glimpse.cli;

import dev.glimpse.util.GlimpseException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** A text file of one entry per line (texts to embed, prompt templates): read strictly. */
final class TextLines {
  private TextLines() {}

  /**
   * The lines of {@code file} (a final newline ends the last line, it adds none); an empty or blank
   * line is an error naming the file and line, as is a file with no lines.
   *
   * @param what what each line is, for messages ("text", "template")
   */
  static List<String> read(Path file, String what) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new GlimpseException(what + " file not found: " + file);
    } catch (CharacterCodingException e) {
      throw new GlimpseException(file + " is not UTF-8 text");
    } catch (IOException e) {
      throw new GlimpseException("cannot read " + file + ": " + e.getMessage());
    }
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        throw new GlimpseException(file + " line " + (i + 1) + " is empty (one " + what + " per line, no blank lines)");
      }
    }
    if (lines.isEmpty()) {
      throw new GlimpseException(file + " holds no " + what + "s");
    }
    return lines;
  }
}
