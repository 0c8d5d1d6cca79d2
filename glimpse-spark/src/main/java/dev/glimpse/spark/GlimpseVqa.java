package dev.glimpse.spark;

import dev.glimpse.train.LoadedModel;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
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
 * Spark ML transformer: an image column and a question column to an answer column, with a Glimpse VQA
 * model (the question is the prompt, as with {@code glimpse caption --question}). Image columns as for
 * {@link GlimpseCaptioner}; a null or empty question is an error row.
 */
public final class GlimpseVqa extends GenerativeTransformer<GlimpseVqa> {
  private static final long serialVersionUID = 1L;

  private final Param<String> imageCol;
  private final Param<String> questionCol;

  public GlimpseVqa() {
    this(Identifiable.randomUID("glimpseVqa"));
  }

  public GlimpseVqa(String uid) {
    super(uid, "answer");
    imageCol = new Param<>(this, "imageCol", "image column: the image data source struct, binary file bytes or a path");
    questionCol = new Param<>(this, "questionCol", "question column (string)");
    setDefault(imageCol, "image");
    setDefault(questionCol, "question");
  }

  public Param<String> imageCol() {
    return imageCol;
  }

  public Param<String> questionCol() {
    return questionCol;
  }

  public String getImageCol() {
    return getOrDefault(imageCol);
  }

  public String getQuestionCol() {
    return getOrDefault(questionCol);
  }

  public GlimpseVqa setImageCol(String value) {
    return setValue(imageCol, value);
  }

  public GlimpseVqa setQuestionCol(String value) {
    return setValue(questionCol, value);
  }

  @Override
  protected void checkInput(StructType input) {
    ImageInputs.column(input, getImageCol());
    requireString(input, getQuestionCol(), "question");
  }

  @Override
  protected PartitionTask task(StructType input, Broadcast<HadoopConf> conf, PartitionTask.Common common) {
    return new Task(common, conf, ImageInputs.column(input, getImageCol()), input.fieldIndex(getQuestionCol()),
        getDecoding(), !getScoreCol().isEmpty());
  }

  @Override
  public GlimpseVqa copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<GlimpseVqa> read() {
    return new DefaultParamsReadable<GlimpseVqa>() {}.read();
  }

  public static GlimpseVqa load(String path) {
    return read().load(path);
  }

  private record Question(BufferedImage image, String question) {}

  private static final class Task extends PartitionTask {
    private static final long serialVersionUID = 1L;
    private final ImageInputs.Column image;
    private final int question;
    private final Decoding decoding;
    private final boolean withScore;

    Task(Common common, Broadcast<HadoopConf> conf, ImageInputs.Column image, int question, Decoding decoding,
        boolean withScore) {
      super(common, conf);
      this.image = image;
      this.question = question;
      this.decoding = decoding;
      this.withScore = withScore;
    }

    @Override
    protected void requireModel(LoadedModel model) {
      model.model();
    }

    @Override
    protected Object input(Row row, Configuration conf) {
      if (row.isNullAt(question) || row.getString(question).isBlank()) {
        throw new BadInput("no question (the question column is null or empty)");
      }
      return new Question(image.read(row, conf), row.getString(question));
    }

    @Override
    protected List<Object[]> run(LoadedModel model, List<Object> inputs) {
      List<BufferedImage> images = new ArrayList<>();
      List<String> prompts = new ArrayList<>();
      for (Object o : inputs) {
        Question q = (Question) o;
        images.add(q.image());
        prompts.add(q.question());
      }
      return generate(model, decoding, withScore, images, prompts);
    }
  }
}
