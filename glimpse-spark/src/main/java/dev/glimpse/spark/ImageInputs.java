package dev.glimpse.spark;

import dev.glimpse.data.Images;
import dev.glimpse.data.SampleException;
import dev.glimpse.util.GlimpseException;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * Images from the three kinds of image column: the struct of Spark's {@code image} data source
 * (rows of B, G, R[, A] bytes), encoded file bytes ({@code binaryFile}'s {@code content}), or a path on
 * any Hadoop file system. Encoded bytes and paths are decoded by {@link Images#decode}, as
 * {@code glimpse caption} decodes files, so every kind gives the model the same pixels.
 */
final class ImageInputs {
  /** Larger files are refused rather than read into a task's heap. */
  static final long MAX_FILE_BYTES = 256L << 20;

  /** How an image column holds its images. */
  enum Kind {
    /** Spark's image data source struct (origin, height, width, nChannels, mode, data). */
    IMAGE_STRUCT,
    /** Encoded image file bytes (PNG, JPEG, BMP, GIF). */
    BYTES,
    /** A path or URI of an image file. */
    PATH
  }

  private static final List<String> STRUCT_FIELDS = List.of("height", "width", "nChannels", "data");

  private ImageInputs() {}

  /**
   * Where and how a row holds its image, worked out on the driver from the schema.
   *
   * @param index the column's position in the row
   * @param struct for {@link Kind#IMAGE_STRUCT}: positions of origin (-1 if absent), height, width,
   *     nChannels and data in the struct
   */
  record Column(String name, int index, Kind kind, int[] struct) implements java.io.Serializable {
    /** The image of {@code row}; a problem with it is a {@link BadInput}. */
    BufferedImage read(Row row, Configuration conf) {
      if (row.isNullAt(index)) {
        throw new BadInput("no image (column " + name + " is null)");
      }
      try {
        return switch (kind) {
          case PATH -> readPath(row.getString(index), conf);
          case BYTES -> Images.decode((byte[]) row.get(index), "(bytes in column " + name + ")");
          case IMAGE_STRUCT -> fromStruct(row.getStruct(index), struct);
        };
      } catch (SampleException | GlimpseException e) {
        throw new BadInput(e.getMessage());
      }
    }
  }

  /** The image column {@code name} of {@code schema}; a missing column or unusable type is an error naming it. */
  static Column column(StructType schema, String name) {
    if (!Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new IllegalArgumentException("no image column '" + name + "' (columns: "
          + String.join(", ", schema.fieldNames()) + ")");
    }
    int index = schema.fieldIndex(name);
    DataType type = schema.fields()[index].dataType();
    if (type instanceof StringType) {
      return new Column(name, index, Kind.PATH, null);
    }
    if (type instanceof BinaryType) {
      return new Column(name, index, Kind.BYTES, null);
    }
    if (type instanceof StructType struct && Arrays.asList(struct.fieldNames()).containsAll(STRUCT_FIELDS)
        && struct.apply("data").dataType() instanceof BinaryType) {
      boolean origin = Arrays.asList(struct.fieldNames()).contains("origin")
          && struct.apply("origin").dataType() instanceof StringType;
      int[] fields = {origin ? struct.fieldIndex("origin") : -1, struct.fieldIndex("height"),
          struct.fieldIndex("width"), struct.fieldIndex("nChannels"), struct.fieldIndex("data")};
      return new Column(name, index, Kind.IMAGE_STRUCT, fields);
    }
    throw new IllegalArgumentException("image column '" + name + "' has type " + type.simpleString()
        + "; expected the struct of Spark's image data source, binary image file bytes (binaryFile's content) "
        + "or a string path");
  }

  /** Reads and decodes an image file from any Hadoop file system (a plain path is on the default one). */
  static BufferedImage readPath(String spec, Configuration conf) {
    if (spec.isBlank()) {
      throw new BadInput("no image (empty path)");
    }
    Path path = new Path(spec);
    byte[] bytes;
    try {
      FileSystem fs = path.getFileSystem(conf);
      if (fs instanceof LocalFileSystem local) {
        return readLocal(local.pathToFile(path).toPath(), spec);
      }
      FileStatus status;
      try {
        status = fs.getFileStatus(path);
      } catch (FileNotFoundException e) {
        throw new BadInput("image not found: " + spec);
      }
      if (status.isDirectory()) {
        throw new BadInput("expected an image file, got a directory: " + spec);
      }
      if (status.getLen() > MAX_FILE_BYTES) {
        throw new BadInput("image file too large: " + spec + " has " + status.getLen() + " bytes (at most "
            + MAX_FILE_BYTES + " are read)");
      }
      bytes = new byte[(int) status.getLen()];
      try (FSDataInputStream in = fs.open(path)) {
        in.readFully(0, bytes);
      }
    } catch (FileNotFoundException e) {
      throw new BadInput("image not found: " + spec);
    } catch (IOException e) {
      throw new BadInput("cannot read image " + spec + ": " + e.getMessage());
    }
    return Images.decode(bytes, spec);
  }

  // The local disk without Hadoop's checksum layer: as glimpse caption reads files.
  private static BufferedImage readLocal(java.nio.file.Path file, String spec) throws IOException {
    if (!java.nio.file.Files.exists(file)) {
      throw new BadInput("image not found: " + spec);
    }
    if (java.nio.file.Files.isDirectory(file)) {
      throw new BadInput("expected an image file, got a directory: " + spec);
    }
    long size = java.nio.file.Files.size(file);
    if (size > MAX_FILE_BYTES) {
      throw new BadInput("image file too large: " + spec + " has " + size + " bytes (at most " + MAX_FILE_BYTES
          + " are read)");
    }
    return Images.decode(java.nio.file.Files.readAllBytes(file), spec);
  }

  /** Rebuilds 8-bit RGB from the image source's B, G, R[, A] (or gray) bytes; alpha is dropped as {@link Images#toRgb} does. */
  static BufferedImage fromStruct(Row image, int[] fields) {
    String origin = fields[0] < 0 || image.isNullAt(fields[0]) ? null : image.getString(fields[0]);
    String where = origin == null ? "(image struct)" : origin;
    int height = intOr(image, fields[1], -1);
    int width = intOr(image, fields[2], -1);
    int channels = intOr(image, fields[3], -1);
    byte[] data = image.isNullAt(fields[4]) ? new byte[0] : (byte[]) image.get(fields[4]);
    if (height <= 0 || width <= 0 || channels <= 0 || data.length == 0) {
      throw new BadInput("undecodable image " + where + " (Spark's image source could not read it)");
    }
    if (channels != 1 && channels != 3 && channels != 4) {
      throw new BadInput("unsupported channel count " + channels + " in image " + where + " (expected 1, 3 or 4)");
    }
    if ((long) height * width > Images.MAX_PIXELS) {
      throw new BadInput("image too large: " + width + "x" + height + " pixels in " + where);
    }
    if (data.length != (long) height * width * channels) {
      throw new BadInput("image " + where + " has " + data.length + " bytes of data, expected height x width x "
          + "nChannels = " + height + " x " + width + " x " + channels);
    }
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int[] rgb = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
    for (int p = 0, i = 0; p < rgb.length; p++, i += channels) {
      if (channels == 1) {
        int g = data[i] & 0xff;
        rgb[p] = (g << 16) | (g << 8) | g;
      } else {
        rgb[p] = ((data[i + 2] & 0xff) << 16) | ((data[i + 1] & 0xff) << 8) | (data[i] & 0xff); // B, G, R[, A]
      }
    }
    return out;
  }

  private static int intOr(Row row, int index, int otherwise) {
    return row.isNullAt(index) ? otherwise : row.getInt(index);
  }
}
