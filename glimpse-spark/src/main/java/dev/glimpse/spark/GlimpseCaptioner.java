package dev.glimpse.spark;

import dev.glimpse.train.LoadedModel;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Spark ML transformer: an image column to a caption column, with a Glimpse captioning model (a Glimpse
 * checkpoint, or a GIT / LLaVA / BLIP-2 model from HuggingFace). The image column may be the struct of
 * Spark's {@code image} data source, encoded file bytes ({@code binaryFile}'s {@code content}) or a
 * path string. Captions are those {@code glimpse caption} writes for the same image and settings.
 *
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("binaryFile").load("s3a://bucket/images/");
 * Dataset<Row> captions = new GlimpseCaptioner()
 *     .setCheckpoint("s3a://bucket/models/run").setImageCol("content").setBatchSize(16)
 *     .transform(images);   // + caption, caption_error
 * }</pre>
 */
public final class GlimpseCaptioner extends GenerativeTransformer<GlimpseCaptioner> {
  private static final long serialVersionUID = 1L;

  private final Param<String> imageCol;

  public GlimpseCaptioner() {
    this(Identifiable.randomUID("glimpseCaptioner"));
  }

  public GlimpseCaptioner(String uid) {
    super(uid, "caption");
    imageCol = new Param<>(this, "imageCol", "image column: the image data source struct, binary file bytes or a path");
    setDefault(imageCol, "image");
  }

  public Param<String> imageCol() {
    return imageCol;
  }

  public String getImageCol() {
    return getOrDefault(imageCol);
  }

  public GlimpseCaptioner setImageCol(String value) {
    return setValue(imageCol, value);
  }

  @Override
  protected void checkInput(StructType input) {
    ImageInputs.column(input, getImageCol());
  }

  @Override
  protected PartitionTask task(StructType input, Broadcast<HadoopConf> conf, PartitionTask.Common common) {
    return new Task(common, conf, ImageInputs.column(input, getImageCol()), getDecoding(), !getScoreCol().isEmpty());
  }

  @Override
  public GlimpseCaptioner copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<GlimpseCaptioner> read() {
    return new DefaultParamsReadable<GlimpseCaptioner>() {}.read();
  }

  public static GlimpseCaptioner load(String path) {
    return read().load(path);
  }

  private static final class Task extends PartitionTask {
    private static final long serialVersionUID = 1L;
    private final ImageInputs.Column image;
    private final Decoding decoding;
    private final boolean withScore;

    Task(Common common, Broadcast<HadoopConf> conf, ImageInputs.Column image, Decoding decoding, boolean withScore) {
      super(common, conf);
      this.image = image;
      this.decoding = decoding;
      this.withScore = withScore;
    }

    @Override
    protected void requireModel(LoadedModel model) {
      model.model(); // a model that does not write text says so
    }

    @Override
    protected Object input(Row row, Configuration conf) {
      return image.read(row, conf);
    }

    @Override
    protected List<Object[]> run(LoadedModel model, List<Object> inputs) {
      List<BufferedImage> images = new ArrayList<>();
      for (Object o : inputs) {
        images.add((BufferedImage) o);
      }
      return generate(model, decoding, withScore, images, new ArrayList<>(Collections.nCopies(images.size(), "")));
    }
  }
}
