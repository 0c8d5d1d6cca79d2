package dev.glimpse.spark;

import dev.glimpse.nn.InferenceThread;
import dev.glimpse.train.LoadedModel;
import dev.glimpse.util.GlimpseException;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The work of a Glimpse transformer on one partition, run on an executor: rows are read in batches of
 * {@code batchSize}; each row's input is decoded on the task thread (a bad one becomes the row's error);
 * the good inputs of a batch go through the executor's shared model ({@link ModelCache}) with the
 * task's native threads ({@link Engines}); rows come out in input order with the output columns and
 * the error column appended. Only a batch at a time is held, so partitions of any size stream through.
 */
public abstract class PartitionTask implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  /**
   * What every task needs.
   *
   * @param checkpoint the checkpoint as the user gave it (the model cache's key)
   * @param threadsPerTask native threads; 0 = the task's cores
   * @param inputWidth columns of an input row
   * @param added columns appended: the outputs, then the error column
   */
  public record Common(String checkpoint, int batchSize, int threadsPerTask, int inputWidth, int added)
      implements Serializable {}

  private final Common common;
  private final Broadcast<HadoopConf> conf;

  protected PartitionTask(Common common, Broadcast<HadoopConf> conf) {
    this.common = common;
    this.conf = conf;
  }

  /** The input of a row (an image, an image and a question, a text); a problem is a {@link BadInput}. */
  protected abstract Object input(Row row, Configuration conf);

  /**
   * Runs the model on a batch of good inputs: per input, the values of the output columns (without the
   * error column). A {@link GlimpseException} names a problem with the inputs: the batch is retried row
   * by row so that only the rows at fault get errors.
   */
  protected abstract List<Object[]> run(LoadedModel model, List<Object> inputs);

  /**
   * Checks once per partition that the model can do this work (a CLIP model cannot caption); a
   * {@link GlimpseException} here fails the task, and so the job, with its message.
   */
  protected abstract void requireModel(LoadedModel model);

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    if (!rows.hasNext()) {
      return Collections.emptyIterator(); // an empty partition loads nothing
    }
    Configuration hadoop = conf.value().get();
    TaskContext task = TaskContext.get();
    int threads = common.threadsPerTask();
    if (threads == 0 && task != null) {
      threads = task.cpus();
    }
    ModelCache.Lease lease = ModelCache.acquire(common.checkpoint(), hadoop, threads);
    try {
      requireModel(lease.model());
    } catch (RuntimeException e) {
      lease.close();
      throw e;
    }
    if (task != null) {
      task.addTaskCompletionListener((TaskContext t) -> lease.close());
    }
    return new Batches(rows, lease, hadoop, Math.max(threads, 0));
  }

  /** One input's output column values, or the reason it has none. */
  private record Outcome(Object[] values, String error) {}

  private final class Batches implements Iterator<Row> {
    private final Iterator<Row> rows;
    private final ModelCache.Lease lease;
    private final Configuration hadoop;
    private final int threads;
    private final ArrayDeque<Row> ready = new ArrayDeque<>();

    Batches(Iterator<Row> rows, ModelCache.Lease lease, Configuration hadoop, int threads) {
      this.rows = rows;
      this.lease = lease;
      this.hadoop = hadoop;
      this.threads = threads;
    }

    @Override
    public boolean hasNext() {
      if (ready.isEmpty() && rows.hasNext()) {
        fill();
      }
      if (ready.isEmpty()) {
        lease.close();
        return false;
      }
      return true;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return ready.poll();
    }

    private void fill() {
      InferenceThread.enter(); // Spark's task threads record autograd graphs otherwise
      List<Row> batch = new ArrayList<>();
      while (batch.size() < common.batchSize() && rows.hasNext()) {
        batch.add(rows.next());
      }
      long start = System.nanoTime();
      Object[] inputs = new Object[batch.size()];
      String[] errors = new String[batch.size()];
      List<Object> good = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        try {
          inputs[i] = input(batch.get(i), hadoop);
          good.add(inputs[i]);
        } catch (BadInput e) {
          errors[i] = e.getMessage();
        }
      }
      long decoded = System.nanoTime();
      TaskStats.input(decoded - start);
      List<Outcome> outputs = good.isEmpty() ? List.of() : Engines.run(threads, () -> runOrSplit(good));
      TaskStats.model(System.nanoTime() - decoded, good.size());
      int k = 0;
      for (int i = 0; i < batch.size(); i++) {
        Object[] values = new Object[common.inputWidth() + common.added()];
        Row row = batch.get(i);
        for (int c = 0; c < common.inputWidth(); c++) {
          values[c] = row.get(c);
        }
        if (errors[i] == null) {
          Outcome out = outputs.get(k++);
          if (out.error() != null) {
            errors[i] = out.error();
          } else {
            System.arraycopy(out.values(), 0, values, common.inputWidth(), out.values().length);
          }
        }
        values[values.length - 1] = errors[i];
        ready.add(RowFactory.create(values));
      }
    }

    // the whole batch, or one by one when the batch names a problem with some input
    private List<Outcome> runOrSplit(List<Object> good) {
      try {
        List<Outcome> out = new ArrayList<>();
        for (Object[] values : run(lease.model(), good)) {
          out.add(new Outcome(values, null));
        }
        return out;
      } catch (GlimpseException e) {
        if (good.size() == 1) {
          return List.of(new Outcome(null, e.getMessage()));
        }
        List<Outcome> out = new ArrayList<>();
        for (Object one : good) {
          out.addAll(runOrSplit(List.of(one)));
        }
        return out;
      }
    }
  }
}
