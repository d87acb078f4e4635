package com.gongpipeline.enrich;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.gongpipeline.chunking.E5Tokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batched e5 inference straight on ONNX Runtime: one {@link OrtSession} per model per JVM, shared
 * by every thread, with intra-op threads = the machine's cores.
 *
 * <p>A call tokenizes all its texts, sorts them by token count and cuts them into batches of
 * similar length (at most {@link #MAX_BATCH_TEXTS} texts and {@link #maxBatchTokens} padded
 * tokens, 512 by default), each padded only to its own longest text, so short chunks do not pay
 * for long ones.
 * Each batch is one session run with an attention mask; the vector of a text is e5's average
 * pool — the mean of its last hidden states over the positions its mask keeps, [CLS] and [SEP]
 * included — L2-normalised. That is what langchain4j's {@code embedAll} computes one text per run
 * (and what the e5 model card specifies), so the vectors agree to float rounding
 * ({@code E5OnnxEncoderTest}). Input longer than 512 tokens is truncated to 512 here, but callers
 * ({@link LocalE5Embedder}) reject it before it gets this far: nothing is cut silently.
 *
 * <p>A text embedded lately is not run again: {@link #embed} answers it from a bounded memo of
 * recent texts and vectors ({@link TextMemo}), since speech repeats its short turns; {@link #infer}
 * runs every text.
 *
 * <p>Session runs are serialised by a lock, since each already uses every core: two at once would
 * only thrash. Tokenizing and pooling happen outside the lock, so other threads prepare their next
 * batch while one runs.
 *
 * <p>{@link #loadAsync} starts loading a model (reading ~130 MB of weights, extracting ONNX
 * Runtime's native library the first time in this JVM, building the session and the tokenizer) on
 * a background daemon thread and returns at once; {@link #get} waits for it. A job calls {@code
 * loadAsync} as it starts, so the load overlaps with fetching the first pages.
 */
public final class E5OnnxEncoder {
  private static final Logger LOG = LoggerFactory.getLogger(E5OnnxEncoder.class);

  /** e5's window: [CLS] + 510 word pieces + [SEP]. */
  public static final int MAX_TOKENS = 512;
  /** Texts per session run at most. */
  static final int MAX_BATCH_TEXTS = 64;
  /**
   * Padded tokens (texts x longest) per session run at most; a run always takes at least one
   * text. Measured by {@code bench} on 2 idle cores, 400 chunk texts of ~45 tokens (chunks/s, int8
   * / fp32): 512 padded tokens 153 / 82-90, 256 144 / 82, 768 133 / -, one text per run 116 / 62-67
   * (langchain4j's one-text-per-run {@code embedAll}, fp32: 67-76). On 2 cores already busy with
   * other work one text per run did better (fp32 7.6 against 5.8 texts/s at 512).
   *
   * <p>The default is per model ({@link #batchTokens}): fp32 runs batches of 512 padded tokens
   * (its vectors equal the per-text ones to float rounding), the int8 model one text per run —
   * it quantizes activations per run, so a batched vector depends a little on its batch mates
   * (within 5e-3 cosine), which would make a chunk's vector depend on how a runner bundled it.
   * {@code -Dgong.e5.maxBatchTokens=N} sets it for both. Either way the texts are sorted by
   * length and each run padded only to its own longest.
   */
  static volatile int maxBatchTokens = Integer.getInteger("gong.e5.maxBatchTokens", -1);

  /** Padded tokens per run for {@code model}: the flag, else 512 for fp32 and 0 for int8. */
  static int batchTokens(LocalE5Model model) {
    int flag = maxBatchTokens;
    if (flag >= 0) {
      return flag;
    }
    return model == LocalE5Model.E5_SMALL_V2_Q ? 0 : 512;
  }

  /**
   * Session runs of one {@link #embed} call done at once on this many threads, each run then using
   * cores / runs intra-op threads ({@code -Dgong.e5.parallelRuns}, default: the cores, so each run
   * is single-threaded). Short runs (one chunk of ~45 tokens) leave cores idle inside a
   * multi-threaded run; single-threaded runs side by side keep them busy, and each text still gets
   * its own run, so int8 vectors stay independent of their neighbours. Measured by {@code bench}
   * on 2 idle cores, 400 chunk texts (2026-12-04): int8 one text per run 219 chunks/s with 2
   * parallel runs against 88 with one 2-thread run at a time; fp32 batched 73 against 61
   * (langchain4j {@code embedAll} 53-54 texts/s); the {@code demo} job 102.0 s against 162.5 s.
   */
  static volatile int parallelRuns = Math.max(1, Integer.getInteger("gong.e5.parallelRuns",
      Runtime.getRuntime().availableProcessors()));

  /** Whether session runs are serialised ({@code -Dgong.e5.concurrentRuns=true} turns it off). */
  static volatile boolean serialRuns =
      !Boolean.getBoolean("gong.e5.concurrentRuns") && parallelRuns == 1;
  // (A test that raises parallelRuns after load also turns serialRuns off itself.)

  private static final Map<LocalE5Model, CompletableFuture<E5OnnxEncoder>> LOADED =
      new EnumMap<>(LocalE5Model.class);

  private final LocalE5Model model;
  private final OrtEnvironment env;
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final boolean wantsTokenTypes;
  private final String hiddenStates;
  private final int dimension;
  private final ReentrantLock runLock = new ReentrantLock(true);

  private E5OnnxEncoder(LocalE5Model model, OrtEnvironment env, OrtSession session,
      HuggingFaceTokenizer tokenizer, int dimension) throws OrtException {
    this.model = model;
    this.env = env;
    this.session = session;
    this.tokenizer = tokenizer;
    this.wantsTokenTypes = session.getInputNames().contains("token_type_ids");
    this.hiddenStates = session.getOutputNames().iterator().next();
    this.dimension = dimension;
  }

  /**
   * Starts loading {@code model} on a background daemon thread unless it is loaded or loading in
   * this JVM; never blocks. A load that failed is retried by the next call.
   */
  public static CompletableFuture<E5OnnxEncoder> loadAsync(LocalE5Model model) {
    synchronized (LOADED) {
      CompletableFuture<E5OnnxEncoder> f = LOADED.get(model);
      if (f == null || f.isCompletedExceptionally()) {
        f = new CompletableFuture<>();
        LOADED.put(model, f);
        CompletableFuture<E5OnnxEncoder> result = f;
        Thread t = new Thread(() -> {
          try {
            result.complete(load(model));
          } catch (Throwable e) {
            result.completeExceptionally(e);
          }
        }, "e5-load-" + model.modelName());
        t.setDaemon(true);
        t.start();
      }
      return f;
    }
  }

  /** Whether this JVM has started loading {@code model} (or has it loaded). */
  static boolean loadStarted(LocalE5Model model) {
    synchronized (LOADED) {
      CompletableFuture<E5OnnxEncoder> f = LOADED.get(model);
      return f != null && !f.isCompletedExceptionally();
    }
  }

  /** The loaded {@code model}, loading it (or waiting for a load under way) if need be. */
  public static E5OnnxEncoder get(LocalE5Model model) {
    try {
      return loadAsync(model).join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("Cannot load the local embedding model "
          + model.modelName() + ": " + cause.getMessage(), cause);
    }
  }

  private static E5OnnxEncoder load(LocalE5Model model) throws OrtException, IOException {
    long start = System.nanoTime();
    byte[] weights = resource(model, model.onnxResource());
    HuggingFaceTokenizer tokenizer;
    try (InputStream in = model.open(model.tokenizerResource())) {
      tokenizer = HuggingFaceTokenizer.newInstance(in, Map.of("padding", "false",
          "truncation", "true", "maxLength", Integer.toString(MAX_TOKENS),
          "addSpecialTokens", "true"));
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(Integer.getInteger("gong.e5.intraOpThreads",
        Math.max(1, Runtime.getRuntime().availableProcessors() / parallelRuns)));
    options.setInterOpNumThreads(1);
    options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
    options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
    // Idle intra-op threads sleep instead of spinning: spinning wins a little on an idle machine
    // and loses badly on a busy one (other JVM threads, other jobs), where the spin steals the CPU
    // the other threads need. -Dgong.e5.spinning=true turns it back on.
    options.addConfigEntry("session.intra_op.allow_spinning",
        Boolean.getBoolean("gong.e5.spinning") ? "1" : "0");
    OrtSession session = env.createSession(weights, options);
    E5OnnxEncoder encoder = new E5OnnxEncoder(model, env, session, tokenizer,
        LocalE5Embedder.DIMENSION);
    LOG.debug("Loaded {} ({} MB) in {} ms", model.modelName(), weights.length >> 20,
        (System.nanoTime() - start) / 1_000_000);
    return encoder;
  }

  private static byte[] resource(LocalE5Model model, String name) {
    try (InputStream in = model.open(name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + name, e);
    }
  }

  public LocalE5Model model() {
    return model;
  }

  /** Token ids the model sees for {@code text}, special tokens included, truncated to 512. */
  long[] tokenIds(String text) {
    return E5Tokenizer.ids(tokenizer, text, true);
  }

  /**
   * Unit vectors for {@code texts} (already prefixed), in input order. Texts must not be blank.
   * A text this JVM embedded lately comes from {@link #memo} (a copy of its vector), and a text
   * repeated within {@code texts} is run once; the rest go to the model ({@link #infer}).
   */
  public List<float[]> embed(List<String> texts) {
    if (!vectorsDependOnTextAlone()) {
      return infer(texts);
    }
    int n = texts.size();
    float[][] out = new float[n][];
    Map<String, List<Integer>> missing = new java.util.LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      float[] known = memo.get(texts.get(i));
      if (known != null) {
        out[i] = known.clone();
      } else {
        missing.computeIfAbsent(texts.get(i), t -> new java.util.ArrayList<>(1)).add(i);
      }
    }
    if (!missing.isEmpty()) {
      List<String> todo = new java.util.ArrayList<>(missing.keySet());
      List<float[]> vectors = infer(todo);
      for (int j = 0; j < todo.size(); j++) {
        float[] v = vectors.get(j);
        memo.put(todo.get(j), v.clone());
        List<Integer> at = missing.get(todo.get(j));
        out[at.get(0)] = v;
        for (int k = 1; k < at.size(); k++) {
          out[at.get(k)] = v.clone();
        }
      }
    }
    return Arrays.asList(out);
  }

  static final int MEMO_ENTRIES = 4096;
  static final int MEMO_MAX_CHARS = 300;

  /**
   * Texts embedded in this JVM lately and their vectors, per model: an e5 vector is a function of
   * its text alone — the int8 model runs one text per run for that reason ({@link #batchTokens}),
   * and the fp32 model's batched vectors equal its per-text ones to float rounding — and speech
   * repeats short turns ("Yes.", "Sounds good.") and sentences across a tenant's calls (chunks and
   * summary candidates alike). Texts of at most {@value #MEMO_MAX_CHARS} characters, at most
   * {@code -Dgong.e5.memoEntries} of them (default {@value #MEMO_ENTRIES}, about 10 MB; 0 turns the
   * memo off); {@code bench} prints its hit share.
   */
  private final TextMemo<float[]> memo =
      new TextMemo<>(Integer.getInteger("gong.e5.memoEntries", MEMO_ENTRIES), MEMO_MAX_CHARS);

  /**
   * Whether a text's vector is the same whatever it is run with: true for fp32 (to float rounding)
   * and for int8 one text per run, false for int8 batched ({@code -Dgong.e5.maxBatchTokens}), whose
   * vectors depend a little on their batch mates and are therefore never remembered.
   */
  private boolean vectorsDependOnTextAlone() {
    return model != LocalE5Model.E5_SMALL_V2_Q || batchTokens(model) == 0;
  }

  /** Look-ups of {@code model}'s memo in this JVM and how many it answered (zeros if not loaded). */
  public static long[] memoLookupsAndHits(LocalE5Model model) {
    CompletableFuture<E5OnnxEncoder> f;
    synchronized (LOADED) {
      f = LOADED.get(model);
    }
    return f == null || !f.isDone() || f.isCompletedExceptionally() ? new long[2]
        : f.join().memo.lookupsAndHits();
  }

  /**
   * Unit vectors for {@code texts} (already prefixed, not blank) from the model, in input order,
   * past the memo: every text is run ({@code bench} times the model with it).
   */
  public List<float[]> infer(List<String> texts) {
    int n = texts.size();
    if (n == 0) {
      return List.of();
    }
    long[][] ids = E5Tokenizer.ids(tokenizer, texts, true);
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingInt(i -> ids[i].length));
    float[][] out = new float[n][];
    int budget = batchTokens(model);
    List<int[]> runs = new java.util.ArrayList<>();
    int from = 0;
    while (from < n) {
      int to = from + 1;
      while (to < n && to - from < MAX_BATCH_TEXTS
          && (long) (to - from + 1) * ids[order[to]].length <= budget) {
        to++;
      }
      runs.add(new int[] {from, to});
      from = to;
    }
    java.util.function.IntConsumer run = r -> {
      int a = runs.get(r)[0];
      int b = runs.get(r)[1];
      long[][] batch = new long[b - a][];
      for (int k = a; k < b; k++) {
        batch[k - a] = ids[order[k]];
      }
      float[][] vectors = runBatch(batch);
      for (int k = a; k < b; k++) {
        out[order[k]] = vectors[k - a];
      }
    };
    int workers = Math.min(parallelRuns, runs.size());
    if (workers <= 1) {
      for (int r = 0; r < runs.size(); r++) {
        run.accept(r);
      }
    } else {
      // Each of parallelRuns workers takes every parallelRuns-th run; the caller is one of them.
      List<java.util.concurrent.Future<?>> others = new java.util.ArrayList<>();
      for (int w = 1; w < workers; w++) {
        int worker = w;
        others.add(RUNNERS.submit(() -> {
          for (int r = worker; r < runs.size(); r += workers) {
            run.accept(r);
          }
        }));
      }
      for (int r = 0; r < runs.size(); r += workers) {
        run.accept(r);
      }
      for (java.util.concurrent.Future<?> f : others) {
        try {
          f.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(model.modelName() + " inference interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException re) {
            throw re;
          }
          throw new IllegalStateException(model.modelName() + " inference failed", cause);
        }
      }
    }
    return Arrays.asList(out);
  }

  /**
   * The helper threads of {@link #parallelRuns}: one per core whatever the number of callers
   * (daemon; a caller does its own share and waits for the rest, so none waits on another).
   */
  private static final java.util.concurrent.ExecutorService RUNNERS =
      java.util.concurrent.Executors.newFixedThreadPool(
          Math.max(1, Runtime.getRuntime().availableProcessors()), r -> {
        Thread t = new Thread(r, "e5-run");
        t.setDaemon(true);
        return t;
      });

  /** One session run over texts of similar length, padded to the longest. */
  private float[][] runBatch(long[][] batch) {
    int rows = batch.length;
    int width = 0;
    for (long[] r : batch) {
      width = Math.max(width, r.length);
    }
    long[] inputIds = new long[rows * width];
    long[] mask = new long[rows * width];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(batch[r], 0, inputIds, r * width, batch[r].length);
      Arrays.fill(mask, r * width, r * width + batch[r].length, 1L);
    }
    long[] shape = {rows, width};
    float[] hidden;
    try (OnnxTensor idsT = OnnxTensor.createTensor(env, LongBuffer.wrap(inputIds), shape);
        OnnxTensor maskT = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
        OnnxTensor typesT = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[rows * width]),
            shape)) {
      Map<String, OnnxTensor> inputs = new HashMap<>();
      inputs.put("input_ids", idsT);
      inputs.put("attention_mask", maskT);
      if (wantsTokenTypes) {
        inputs.put("token_type_ids", typesT);
      }
      boolean serial = serialRuns;
      if (serial) {
        runLock.lock();
      }
      try (OrtSession.Result result = session.run(inputs, Set.of(hiddenStates))) {
        OnnxValue v = result.get(0);
        FloatBuffer fb = ((OnnxTensor) v).getFloatBuffer();
        hidden = new float[fb.remaining()];
        fb.get(hidden);
      } finally {
        if (serial) {
          runLock.unlock();
        }
      }
    } catch (OrtException e) {
      throw new IllegalStateException(model.modelName() + " inference failed: " + e.getMessage(),
          e);
    }
    if (hidden.length != rows * width * dimension) {
      throw new IllegalStateException(model.modelName() + " returned " + hidden.length
          + " floats for a " + rows + " x " + width + " batch of " + dimension + "-d states");
    }
    float[][] vectors = new float[rows][];
    for (int r = 0; r < rows; r++) {
      vectors[r] = meanPoolNormalised(hidden, r, width, batch[r].length);
    }
    return vectors;
  }

  /** Mean of row {@code r}'s first {@code len} token states (the unmasked ones), unit length. */
  private float[] meanPoolNormalised(float[] hidden, int r, int width, int len) {
    double[] sum = new double[dimension];
    int base = r * width * dimension;
    for (int t = 0; t < len; t++) {
      int o = base + t * dimension;
      for (int d = 0; d < dimension; d++) {
        sum[d] += hidden[o + d];
      }
    }
    double norm = 0;
    for (int d = 0; d < dimension; d++) {
      sum[d] /= len;
      norm += sum[d] * sum[d];
    }
    norm = Math.sqrt(norm);
    float[] v = new float[dimension];
    for (int d = 0; d < dimension; d++) {
      v[d] = (float) (sum[d] / norm);
    }
    return v;
  }

  @Override
  public String toString() {
    return "E5OnnxEncoder(" + model.modelName() + ")";
  }
}
