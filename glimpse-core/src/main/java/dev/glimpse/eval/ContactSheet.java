package dev.glimpse.eval;

import dev.glimpse.util.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;

/** A self-contained HTML page of images with their generated captions (and references, if any). */
public final class ContactSheet {
  private ContactSheet() {}

  /** One tile. {@code reference} may be null. */
  public record Entry(String title, BufferedImage image, String caption, String reference) {}

  public static void write(Path html, String heading, List<Entry> entries) {
    StringBuilder sb = new StringBuilder();
    sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(escape(heading))
        .append("</title>\n<style>body{font-family:sans-serif;margin:24px;background:#fafafa}")
        .append(".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:16px}")
        .append(".tile{background:#fff;border:1px solid #ddd;border-radius:6px;padding:10px}")
        .append(".tile img{width:224px;height:224px;object-fit:contain;image-rendering:pixelated;background:#eee}")
        .append(".cap{font-weight:bold;margin-top:6px}.ref{color:#666;font-size:90%}.id{color:#999;font-size:80%}")
        .append("</style></head><body>\n<h1>").append(escape(heading)).append("</h1>\n<div class=\"grid\">\n");
    for (Entry e : entries) {
      sb.append("<div class=\"tile\"><img alt=\"").append(escape(e.title())).append("\" src=\"data:image/png;base64,")
          .append(png(e.image())).append("\"><div class=\"cap\">").append(escape(e.caption())).append("</div>");
      if (e.reference() != null) {
        sb.append("<div class=\"ref\">reference: ").append(escape(e.reference())).append("</div>");
      }
      sb.append("<div class=\"id\">").append(escape(e.title())).append("</div></div>\n");
    }
    sb.append("</div></body></html>\n");
    AtomicFiles.writeString(html, sb.toString());
  }

  private static String png(BufferedImage image) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return Base64.getEncoder().encodeToString(out.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
