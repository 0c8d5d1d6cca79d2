package dev.glimpse.spark;

import dev.glimpse.generate.Captioner;
import dev.glimpse.train.LoadedModel;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The transformers that write text (captions, answers): decoding settings as params, with the defaults
 * of {@code glimpse caption}, and an optional score column (the sum of the chosen tokens' log-probabilities,
 * or the beam score) for filtering weak outputs.
 */
public abstract class GenerativeTransformer<T extends GenerativeTransformer<T>> extends GlimpseTransformer<T> {
  private static final long serialVersionUID = 1L;

  private final IntParam maxTokens;
  private final IntParam beams;
  private final DoubleParam lengthPenalty;
  private final BooleanParam earlyStop;
  private final BooleanParam sample;
  private final DoubleParam temperature;
  private final IntParam topK;
  private final DoubleParam topP;
  private final LongParam seed;
  private final BooleanParam useCache;
  private final Param<String> scoreCol;

  protected GenerativeTransformer(String uid, String output) {
    super(uid, output);
    maxTokens = new IntParam(this, "maxTokens", "most tokens to generate", ParamValidators.gtEq(1));
    beams = new IntParam(this, "beams", "beam search with this many beams; 1 = greedy", ParamValidators.gtEq(1));
    lengthPenalty = new DoubleParam(this, "lengthPenalty", "beam length penalty");
    earlyStop = new BooleanParam(this, "earlyStop", "beam search: stop once 'beams' hypotheses have ended");
    sample = new BooleanParam(this, "sample", "sample instead of greedy decoding");
    temperature = new DoubleParam(this, "temperature", "sampling temperature (> 0)", ParamValidators.gt(0));
    topK = new IntParam(this, "topK", "sampling: keep the K most likely tokens (0 = all)", ParamValidators.gtEq(0));
    topP = new DoubleParam(this, "topP", "sampling: nucleus mass in (0, 1]",
        ParamValidators.inRange(0, 1, false, true));
    seed = new LongParam(this, "seed", "sampling seed");
    useCache = new BooleanParam(this, "useCache", "decode with the KV cache (false recomputes; for checks)");
    scoreCol = new Param<>(this, "scoreCol", "column for each output's score (sum of log-probabilities; "
        + "the beam score with beam search); empty = no score column");
    setDefault(maxTokens, 32);
    setDefault(beams, 1);
    setDefault(lengthPenalty, 1.0);
    setDefault(earlyStop, false);
    setDefault(sample, false);
    setDefault(temperature, 1.0);
    setDefault(topK, 0);
    setDefault(topP, 1.0);
    setDefault(seed, 0L);
    setDefault(useCache, true);
    setDefault(scoreCol, "");
  }

  public IntParam maxTokens() {
    return maxTokens;
  }

  public IntParam beams() {
    return beams;
  }

  public DoubleParam lengthPenalty() {
    return lengthPenalty;
  }

  public BooleanParam earlyStop() {
    return earlyStop;
  }

  public BooleanParam sample() {
    return sample;
  }

  public DoubleParam temperature() {
    return temperature;
  }

  public IntParam topK() {
    return topK;
  }

  public DoubleParam topP() {
    return topP;
  }

  public LongParam seed() {
    return seed;
  }

  public BooleanParam useCache() {
    return useCache;
  }

  public Param<String> scoreCol() {
    return scoreCol;
  }

  public String getScoreCol() {
    return getOrDefault(scoreCol);
  }

  /** The decoding settings these params give. */
  public Decoding getDecoding() {
    return new Decoding((Integer) getOrDefault(maxTokens), (Integer) getOrDefault(beams),
        (Double) getOrDefault(lengthPenalty), (Boolean) getOrDefault(earlyStop), (Boolean) getOrDefault(sample),
        (Double) getOrDefault(temperature), (Integer) getOrDefault(topK), (Double) getOrDefault(topP),
        (Long) getOrDefault(seed), (Boolean) getOrDefault(useCache));
  }

  public T setMaxTokens(int value) {
    return setValue(maxTokens, (Object) value);
  }

  /** Beam search with {@code value} beams; 1 = greedy. */
  public T setBeams(int value) {
    return setValue(beams, (Object) value);
  }

  public T setLengthPenalty(double value) {
    return setValue(lengthPenalty, (Object) value);
  }

  public T setEarlyStop(boolean value) {
    return setValue(earlyStop, (Object) value);
  }

  public T setSample(boolean value) {
    return setValue(sample, (Object) value);
  }

  public T setTemperature(double value) {
    return setValue(temperature, (Object) value);
  }

  public T setTopK(int value) {
    return setValue(topK, (Object) value);
  }

  public T setTopP(double value) {
    return setValue(topP, (Object) value);
  }

  public T setSeed(long value) {
    return setValue(seed, (Object) value);
  }

  public T setUseCache(boolean value) {
    return setValue(useCache, (Object) value);
  }

  /** A column for each output's score; "" for none. */
  public T setScoreCol(String value) {
    return setValue(scoreCol, value);
  }

  /** Sets every decoding param from {@code d}. */
  public T setDecoding(Decoding d) {
    setMaxTokens(d.maxTokens());
    setBeams(d.beams());
    setLengthPenalty(d.lengthPenalty());
    setEarlyStop(d.earlyStop());
    setSample(d.sample());
    setTemperature(d.temperature());
    setTopK(d.topK());
    setTopP(d.topP());
    setSeed(d.seed());
    return setUseCache(d.useCache());
  }

  @Override
  protected List<StructField> outputFields(StructType input) {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField(getOutputCol(), DataTypes.StringType, true));
    if (!getScoreCol().isEmpty()) {
      fields.add(DataTypes.createStructField(getScoreCol(), DataTypes.DoubleType, true));
    }
    getDecoding().config(Integer.MAX_VALUE); // settings that cannot go together fail here, on the driver
    return fields;
  }

  /** Texts for images and prompts ("" = caption), as {@code glimpse caption} generates them. */
  static List<Object[]> generate(LoadedModel model, Decoding decoding, boolean withScore, List<BufferedImage> images,
      List<String> prompts) {
    Captioner captioner = new Captioner(model.model(), model.tokenizer(), model.transform(), model.manager());
    List<List<BufferedImage>> clips = new ArrayList<>();
    for (BufferedImage image : images) {
      clips.add(List.of(image));
    }
    List<Captioner.Caption> captions = captioner.generate(clips, prompts,
        decoding.config(model.model().maxTextLength()), Math.max(1, images.size()), null);
    List<Object[]> out = new ArrayList<>();
    for (Captioner.Caption c : captions) {
      out.add(withScore ? new Object[] {c.text(), c.generated().score()} : new Object[] {c.text()});
    }
    return out;
  }
}
