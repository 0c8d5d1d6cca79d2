package dev.glimpse.spark;

import dev.glimpse.util.GlimpseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What the Glimpse transformers share: the checkpoint, the output and error columns, the batch size
 * and the native threads per task, and the per-partition machinery ({@link PartitionTask}). A
 * transformer appends its output column and an error column; a row whose input cannot be used gets a
 * null output and the reason in the error column, and the job goes on.
 *
 * @param <T> the concrete transformer, which the setters return
 */
public abstract class GlimpseTransformer<T extends GlimpseTransformer<T>> extends Transformer
    implements DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Param<String> checkpoint;
  private final Param<String> outputCol;
  private final Param<String> errorCol;
  private final IntParam batchSize;
  private final IntParam threadsPerTask;

  protected GlimpseTransformer(String uid, String output) {
    this.uid = uid;
    this.checkpoint = new Param<>(this, "checkpoint", "the model: a Glimpse checkpoint or run folder, a HuggingFace "
        + "model folder or id hf:ORG/NAME[@REV]; any Hadoop path (hdfs://, s3a://, file:, local) or a name shipped "
        + "with --files/addFile");
    this.outputCol = new Param<>(this, "outputCol", "output column name");
    this.errorCol = new Param<>(this, "errorCol", "column for the reason a row has no output (null when it has one); "
        + "empty = outputCol + \"_error\"");
    this.batchSize = new IntParam(this, "batchSize", "rows run through the model together (>= 1)",
        ParamValidators.gtEq(1));
    this.threadsPerTask = new IntParam(this, "threadsPerTask", "native (intra-op) threads of each task; 0 = the "
        + "task's cores (spark.task.cpus), so that the tasks of an executor share its cores without oversubscribing",
        ParamValidators.gtEq(0));
    setDefault(outputCol, output);
    setDefault(errorCol, "");
    setDefault(batchSize, 16);
    setDefault(threadsPerTask, 0);
  }

  @Override
  public String uid() {
    return uid;
  }

  public Param<String> checkpoint() {
    return checkpoint;
  }

  public Param<String> outputCol() {
    return outputCol;
  }

  public Param<String> errorCol() {
    return errorCol;
  }

  public IntParam batchSize() {
    return batchSize;
  }

  public IntParam threadsPerTask() {
    return threadsPerTask;
  }

  public String getCheckpoint() {
    return isDefined(checkpoint) ? getOrDefault(checkpoint) : null;
  }

  public String getOutputCol() {
    return getOrDefault(outputCol);
  }

  /** The error column: as set, else the output column's name + "_error". */
  public String getErrorCol() {
    String name = getOrDefault(errorCol);
    return name.isEmpty() ? getOutputCol() + "_error" : name;
  }

  public int getBatchSize() {
    return (Integer) getOrDefault(batchSize);
  }

  public int getThreadsPerTask() {
    return (Integer) getOrDefault(threadsPerTask);
  }

  public T setCheckpoint(String value) {
    return setValue(checkpoint, value);
  }

  public T setOutputCol(String value) {
    return setValue(outputCol, value);
  }

  public T setErrorCol(String value) {
    return setValue(errorCol, value);
  }

  public T setBatchSize(int value) {
    return setValue(batchSize, value);
  }

  public T setThreadsPerTask(int value) {
    return setValue(threadsPerTask, value);
  }

  /** Sets a param (validated) and returns this transformer. */
  @SuppressWarnings("unchecked")
  protected <V> T setValue(Param<V> param, V value) {
    set(param, value);
    return (T) this;
  }

  /** The columns this transformer appends (before the error column), with their types. */
  protected abstract List<StructField> outputFields(StructType input);

  /** Checks the input columns; an unusable schema is an {@link IllegalArgumentException} naming the column. */
  protected abstract void checkInput(StructType input);

  /** The work for each partition, built on the driver for {@code input}; serialisable. */
  protected abstract PartitionTask task(StructType input, Broadcast<HadoopConf> conf, PartitionTask.Common common);

  @Override
  public StructType transformSchema(StructType schema) {
    checkInput(schema);
    List<StructField> fields = new ArrayList<>(Arrays.asList(schema.fields()));
    List<StructField> added = new ArrayList<>(outputFields(schema));
    added.add(DataTypes.createStructField(getErrorCol(), DataTypes.StringType, true));
    List<String> names = new ArrayList<>(Arrays.asList(schema.fieldNames()));
    for (StructField f : added) {
      if (names.contains(f.name())) {
        throw new IllegalArgumentException("output column '" + f.name() + "' already exists; set another name");
      }
      names.add(f.name());
      fields.add(f);
    }
    return DataTypes.createStructType(fields);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType out = transformSchema(dataset.schema());
    SparkSession spark = dataset.sparkSession();
    HadoopConf hadoop = new HadoopConf(spark.sparkContext().hadoopConfiguration());
    String problem = CheckpointFiles.problem(getCheckpoint(), hadoop.get());
    if (problem != null) {
      throw new GlimpseException(problem);
    }
    Broadcast<HadoopConf> conf = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(hadoop);
    PartitionTask.Common common = new PartitionTask.Common(getCheckpoint(), getBatchSize(), getThreadsPerTask(),
        dataset.schema().size(), out.size() - dataset.schema().size());
    return dataset.toDF().mapPartitions(task(dataset.schema(), conf, common), Encoders.row(out));
  }

  /** Checks that {@code name} is a string column of {@code schema}. */
  protected static void requireString(StructType schema, String name, String what) {
    if (!Arrays.asList(schema.fieldNames()).contains(name)) {
      throw new IllegalArgumentException("no " + what + " column '" + name + "' (columns: "
          + String.join(", ", schema.fieldNames()) + ")");
    }
    DataType type = schema.apply(name).dataType();
    if (!type.equals(DataTypes.StringType)) {
      throw new IllegalArgumentException(what + " column '" + name + "' has type " + type.simpleString()
          + "; expected a string");
    }
  }
}
