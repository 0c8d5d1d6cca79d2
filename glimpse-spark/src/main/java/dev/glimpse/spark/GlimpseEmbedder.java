package dev.glimpse.spark;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.data.ImageTransform;
import dev.glimpse.model.ClipModel;
import dev.glimpse.model.Embedder;
import dev.glimpse.tokenize.Tokenizer;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.GlimpseException;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReadable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Spark ML transformer: an image column or a text column to a vector column (Spark ML's vector type,
 * ready for LSH, k-means or a vector store), with a model that embeds images and texts in one space
 * ({@link Embedder}: HF CLIP, and CLIP or MM-GEM models trained by Glimpse). Image and text
 * embeddings of the same model can be compared directly; by default they are L2-normalised, so a dot
 * product is the cosine similarity.
 */
public final class GlimpseEmbedder extends GlimpseTransformer<GlimpseEmbedder> {
  private static final long serialVersionUID = 1L;

  /** Input kinds: images (data source struct, bytes or paths) or texts. */
  public static final String IMAGE = "image";
  public static final String TEXT = "text";

  private final Param<String> inputCol;
  private final Param<String> inputType;
  private final BooleanParam normalize;

  public GlimpseEmbedder() {
    this(Identifiable.randomUID("glimpseEmbedder"));
  }

  public GlimpseEmbedder(String uid) {
    super(uid, "embedding");
    inputCol = new Param<>(this, "inputCol", "input column: an image column, or a string column of texts");
    inputType = new Param<>(this, "inputType", "what the input column holds: image or text",
        ParamValidators.inArray(new String[] {IMAGE, TEXT}));
    normalize = new BooleanParam(this, "normalize", "L2-normalise the embeddings");
    setDefault(inputCol, "image");
    setDefault(inputType, IMAGE);
    setDefault(normalize, true);
  }

  public Param<String> inputCol() {
    return inputCol;
  }

  public Param<String> inputType() {
    return inputType;
  }

  public BooleanParam normalize() {
    return normalize;
  }

  public String getInputCol() {
    return getOrDefault(inputCol);
  }

  public String getInputType() {
    return getOrDefault(inputType);
  }

  public boolean getNormalize() {
    return (Boolean) getOrDefault(normalize);
  }

  public GlimpseEmbedder setInputCol(String value) {
    return setValue(inputCol, value);
  }

  /** {@link #IMAGE} or {@link #TEXT}. */
  public GlimpseEmbedder setInputType(String value) {
    return setValue(inputType, value);
  }

  public GlimpseEmbedder setNormalize(boolean value) {
    return setValue(normalize, (Object) value);
  }

  @Override
  protected void checkInput(StructType input) {
    if (getInputType().equals(TEXT)) {
      requireString(input, getInputCol(), "text");
    } else {
      ImageInputs.column(input, getInputCol());
    }
  }

  @Override
  protected List<StructField> outputFields(StructType input) {
    return List.of(DataTypes.createStructField(getOutputCol(), SQLDataTypes.VectorType(), true));
  }

  @Override
  protected PartitionTask task(StructType input, Broadcast<HadoopConf> conf, PartitionTask.Common common) {
    boolean text = getInputType().equals(TEXT);
    return new Task(common, conf, text ? null : ImageInputs.column(input, getInputCol()),
        text ? input.fieldIndex(getInputCol()) : -1, getNormalize());
  }

  @Override
  public GlimpseEmbedder copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<GlimpseEmbedder> read() {
    return new DefaultParamsReadable<GlimpseEmbedder>() {}.read();
  }

  public static GlimpseEmbedder load(String path) {
    return read().load(path);
  }

  /**
   * The model as an {@link Embedder}; any other design, or one trained without its embedding objective
   * (MM-GEM's caption-only ablation), is a user error naming it.
   */
  static Embedder embedding(LoadedModel model) {
    if (model.instance() instanceof Embedder e) {
      if (!e.embeds()) {
        throw new GlimpseException("the " + model.config().modelType() + " model in " + model.source() + " was "
            + "trained without its embedding objective; GlimpseEmbedder needs a model that embeds");
      }
      return e;
    }
    throw new GlimpseException("the " + model.config().modelType() + " model in " + model.source() + " does not "
        + "embed images and texts; GlimpseEmbedder needs an embedding model such as CLIP or MM-GEM");
  }

  /** Embeddings of images, one row each. */
  static float[][] images(LoadedModel model, List<BufferedImage> images, boolean normalize) {
    Embedder em = embedding(model);
    ImageTransform transform = model.transform();
    int per = transform.floats();
    float[] data = new float[images.size() * per];
    for (int i = 0; i < images.size(); i++) {
      transform.apply(images.get(i), data, i * per);
    }
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      NDArray pixels = m.create(data, new Shape(images.size(), 3, transform.height(), transform.width()));
      NDArray e = em.embedImages(pixels);
      return rows(normalize ? ClipModel.normalize(e) : e);
    }
  }

  /** Embeddings of texts, one row each. */
  static float[][] texts(LoadedModel model, List<String> texts, boolean normalize) {
    Embedder em = embedding(model);
    Tokenizer tokenizer = model.tokenizer();
    List<int[]> ids = new ArrayList<>();
    int length = 1;
    for (String t : texts) {
      int[] framed = em.textIds(t.isEmpty() ? new int[0] : tokenizer.encode(t), tokenizer.special().bos());
      ids.add(framed);
      length = Math.max(length, framed.length);
    }
    long[] flat = new long[texts.size() * length];
    float[] valid = new float[texts.size() * length];
    Arrays.fill(flat, tokenizer.special().pad());
    for (int i = 0; i < ids.size(); i++) {
      int[] row = ids.get(i);
      for (int j = 0; j < row.length; j++) {
        flat[i * length + j] = row[j];
        valid[i * length + j] = 1;
      }
    }
    try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
      scope.suppressNotUsedWarning();
      NDArray e = em.embedTexts(m.create(flat, new Shape(texts.size(), length)),
          m.create(valid, new Shape(texts.size(), length)));
      return rows(normalize ? ClipModel.normalize(e) : e);
    }
  }

  /** Rows of a [B, P] array. */
  private static float[][] rows(NDArray embeddings) {
    int b = (int) embeddings.getShape().get(0);
    float[] flat = embeddings.toFloatArray();
    int p = b == 0 ? 0 : flat.length / b;
    float[][] out = new float[b][];
    for (int i = 0; i < b; i++) {
      out[i] = Arrays.copyOfRange(flat, i * p, (i + 1) * p);
    }
    return out;
  }

  private static final class Task extends PartitionTask {
    private static final long serialVersionUID = 1L;
    private final ImageInputs.Column image; // null for texts
    private final int text;
    private final boolean normalize;

    Task(Common common, Broadcast<HadoopConf> conf, ImageInputs.Column image, int text, boolean normalize) {
      super(common, conf);
      this.image = image;
      this.text = text;
      this.normalize = normalize;
    }

    @Override
    protected void requireModel(LoadedModel model) {
      embedding(model);
    }

    @Override
    protected Object input(Row row, Configuration conf) {
      if (image != null) {
        return image.read(row, conf);
      }
      if (row.isNullAt(text)) {
        throw new BadInput("no text (the text column is null)");
      }
      return row.getString(text);
    }

    @Override
    protected List<Object[]> run(LoadedModel model, List<Object> inputs) {
      float[][] rows;
      if (image != null) {
        List<BufferedImage> images = new ArrayList<>();
        inputs.forEach(o -> images.add((BufferedImage) o));
        rows = images(model, images, normalize);
      } else {
        List<String> texts = new ArrayList<>();
        inputs.forEach(o -> texts.add((String) o));
        rows = texts(model, texts, normalize);
      }
      List<Object[]> out = new ArrayList<>();
      for (float[] r : rows) {
        double[] v = new double[r.length];
        for (int i = 0; i < r.length; i++) {
          v[i] = r[i];
        }
        out.add(new Object[] {Vectors.dense(v)});
      }
      return out;
    }
  }
}
