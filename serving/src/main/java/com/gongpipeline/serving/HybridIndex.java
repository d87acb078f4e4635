package com.gongpipeline.serving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.MMapDirectory;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The hybrid index over AI_MEMORY chunks: Lucene BM25 over the redacted text (English analyzer)
 * and an HNSW graph over the L2-normalised vectors (dot product = cosine), fused by reciprocal
 * rank fusion. Filters (account, since/until, speaker affiliation) are Lucene filter clauses inside
 * both the BM25 query and the KNN query, so a filtered search still returns k hits when k chunks
 * match (Lucene switches to an exact scan when a filter is very selective).
 *
 * <p>Storage: {@link #inMemory} keeps the index on the heap (tests, small corpora); {@link
 * #inDirectory} memory-maps a local directory, so the heap holds only the writer's buffer ({@value
 * #RAM_BUFFER_MB} MB) and the id map (about 100 bytes per chunk), and vectors and postings live in
 * the OS page cache. Thread-safe: writes are serialised, searches run on a refreshed snapshot.
 */
public final class HybridIndex implements AutoCloseable {
  /** RRF's rank constant (Cormack et al.): a hit's fused score is the sum of 1 / (60 + rank). */
  static final int RRF_K = 60;
  static final double RAM_BUFFER_MB = 32;
  /** Each ranking contributes this many candidates per wanted hit to the fusion (at least 50). */
  static final int CANDIDATES_PER_HIT = 5;

  static final String F_MEMORY_ID = "memory_id";
  static final String F_CALL_ID = "call_id";
  static final String F_CHUNK = "chunk_index";
  static final String F_TEXT = "text";
  static final String F_VECTOR = "vector";
  static final String F_TITLE = "title";
  static final String F_URL = "url";
  static final String F_ACCOUNT = "account";
  static final String F_ACCOUNT_KEY = "account_key";
  static final String F_STARTED = "started";
  static final String F_SPEAKER = "speaker";
  static final String F_AFFILIATION = "affiliation";
  static final String F_AFFILIATION_KEY = "affiliation_key";
  static final String F_START_MS = "start_ms";
  static final String F_END_MS = "end_ms";
  static final String F_LOADED = "loaded_at";

  private final Directory directory;
  private final int dimension;
  private final Analyzer analyzer = new EnglishAnalyzer();
  private final IndexWriter writer;
  private final SearcherManager searchers;
  /** MEMORY_ID → CALL_ID of every indexed chunk (for reconciling with the warehouse). */
  private final Map<String, String> ids = new ConcurrentHashMap<>();
  private final Object writeLock = new Object();

  private HybridIndex(Directory directory, int dimension) throws IOException {
    if (dimension < 1 || dimension > 1024) {
      throw new IllegalArgumentException("vector dimension must be 1..1024, was " + dimension);
    }
    this.directory = directory;
    this.dimension = dimension;
    IndexWriterConfig cfg = new IndexWriterConfig(analyzer)
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
        .setRAMBufferSizeMB(RAM_BUFFER_MB);
    this.writer = new IndexWriter(directory, cfg);
    this.searchers = new SearcherManager(writer, null);
  }

  /** A heap-resident index (tests and small corpora). */
  public static HybridIndex inMemory(int dimension) {
    try {
      return new HybridIndex(new ByteBuffersDirectory(), dimension);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A memory-mapped index in {@code dir}; anything already there is replaced (rebuilt). */
  public static HybridIndex inDirectory(Path dir, int dimension) {
    try {
      return new HybridIndex(new MMapDirectory(dir), dimension);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int dimension() {
    return dimension;
  }

  /** Chunks indexed. */
  public int size() {
    return ids.size();
  }

  /** The MEMORY_IDs indexed (a copy). */
  public Set<String> memoryIds() {
    return new LinkedHashSet<>(ids.keySet());
  }

  /**
   * Replaces everything indexed for these calls with {@code docs} (which must belong to them):
   * chunks a call no longer has disappear, a call with no docs disappears entirely. Visible to
   * searches when this returns.
   */
  public void replaceCalls(Collection<String> callIds, List<MemoryDoc> docs) {
    synchronized (writeLock) {
      try {
        Set<String> calls = new LinkedHashSet<>(callIds);
        for (MemoryDoc d : docs) {
          if (!calls.contains(d.callId())) {
            throw new IllegalArgumentException(d.memoryId() + " is not in the replaced calls");
          }
        }
        Term[] terms = calls.stream().map(c -> new Term(F_CALL_ID, c)).toArray(Term[]::new);
        if (terms.length > 0) {
          writer.deleteDocuments(terms);
        }
        ids.values().removeIf(calls::contains);
        for (MemoryDoc d : docs) {
          writer.updateDocument(new Term(F_MEMORY_ID, d.memoryId()), toDocument(d));
          ids.put(d.memoryId(), d.callId());
        }
        searchers.maybeRefreshBlocking();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Removes these chunks (e.g. rows the warehouse no longer holds). */
  public void deleteMemoryIds(Collection<String> memoryIds) {
    synchronized (writeLock) {
      try {
        Term[] terms = memoryIds.stream().map(m -> new Term(F_MEMORY_ID, m)).toArray(Term[]::new);
        if (terms.length > 0) {
          writer.deleteDocuments(terms);
        }
        memoryIds.forEach(ids::remove);
        searchers.maybeRefreshBlocking();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * Merges the index into one segment: a vector search walks one HNSW graph per segment, so a
   * freshly bulk-loaded index (one segment per flush) answers faster once compacted. Blocking;
   * searches and updates go on meanwhile (an update during it may leave a second segment).
   */
  public void compact() {
    try {
      writer.forceMerge(1);
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Segments a search walks now. */
  public int segments() {
    return withSearcher(s -> s.getIndexReader().leaves().size());
  }

  /** The calls that have at least one chunk indexed. */
  public Set<String> callIds() {
    return new LinkedHashSet<>(ids.values());
  }

  /**
   * Top-k chunks for a request. {@code queryVector} (the query embedded with the rows' model) is
   * required unless the mode is keyword-only.
   */
  public List<MemoryHit> search(SearchRequest r, float @Nullable [] queryVector) {
    return search(r, queryVector, null);
  }

  /**
   * As {@link #search(SearchRequest, float[])}, within {@code scope} (chunks or calls picked from
   * the warehouse, e.g. by risk category or tracker), applied inside the queries like the other
   * filters. An empty scope finds nothing.
   */
  public List<MemoryHit> search(SearchRequest r, float @Nullable [] queryVector,
      @Nullable SearchScope scope) {
    Query filter = and(filter(r), scope == null ? null : scope.query(F_CALL_ID, F_MEMORY_ID));
    int depth = Math.min(1000, Math.max(50, r.k() * CANDIDATES_PER_HIT));
    return withSearcher(s -> {
      List<ScoreDoc> semantic = List.of();
      List<ScoreDoc> keyword = List.of();
      if (r.mode().usesVectors()) {
        if (queryVector == null) {
          throw new IllegalArgumentException("a " + r.mode() + " search needs a query vector");
        }
        semantic = List.of(s.search(knn(queryVector, depth, filter), depth).scoreDocs);
      }
      if (r.mode().usesKeywords()) {
        Query text = keywordQuery(r.query());
        if (text != null) {
          BooleanQuery.Builder b = new BooleanQuery.Builder().add(text, Occur.MUST);
          if (filter != null) {
            b.add(filter, Occur.FILTER);
          }
          keyword = List.of(s.search(b.build(), depth).scoreDocs);
        }
      }
      Map<Integer, Double> scores;
      if (r.mode() == SearchMode.HYBRID) {
        scores = rrf(List.of(semantic, keyword));
        Query codes = exactCodesQuery(r.query());
        if (codes != null) {
          // An identifier or number in the query ("PO-77312", "$48,500") is a hard lexical
          // constraint: chunks saying every one of them rank above all others (by their fused
          // score among themselves). Plain RRF would let chunks that share only the prefix ("PO")
          // and sit in both rankings outrank the one chunk keyword search found first.
          BooleanQuery.Builder b = new BooleanQuery.Builder().add(codes, Occur.MUST);
          if (filter != null) {
            b.add(filter, Occur.FILTER);
          }
          for (ScoreDoc d : s.search(b.build(), depth).scoreDocs) {
            scores.merge(d.doc, EXACT_CODE_BONUS, Double::sum);
          }
        }
      } else {
        scores = new LinkedHashMap<>();
        for (ScoreDoc d : r.mode() == SearchMode.SEMANTIC ? semantic : keyword) {
          // Lucene's DOT_PRODUCT score is (1 + cos) / 2; report the cosine.
          scores.put(d.doc, r.mode() == SearchMode.SEMANTIC ? 2.0 * d.score - 1.0 : d.score);
        }
      }
      return top(s, scores, r.k());
    });
  }

  /**
   * The L2-normalised mean of {@code callId}'s indexed chunk vectors, or null when the call is not
   * indexed (or its mean has no direction).
   */
  public float @Nullable [] meanVector(String callId) {
    return withSearcher(s -> meanVector(s, callId));
  }

  private float @Nullable [] meanVector(IndexSearcher s, String callId) throws IOException {
    float[] mean = new float[dimension];
    int n = 0;
    for (ScoreDoc d : s.search(new TermQuery(new Term(F_CALL_ID, callId)), 10_000).scoreDocs) {
      float[] v = vectorOf(s, d.doc);
      if (v != null) {
        for (int i = 0; i < dimension; i++) {
          mean[i] += v[i];
        }
        n++;
      }
    }
    return n == 0 || !normalise(mean) ? null : mean;
  }

  /**
   * Calls most like {@code callId} from the index alone: the mean of its chunk vectors
   * (normalised) against every other call's chunks, best chunk per call, k calls. Empty when the
   * call is not indexed. {@code serve} uses this only when the warehouse holds no call vectors
   * ({@code AI_MEMORY.CALL_VECTORS}) to rank against.
   */
  public List<MemoryHit> similarCalls(String callId, int k) {
    return withSearcher(s -> {
      float[] mean = meanVector(s, callId);
      if (mean == null) {
        return List.of();
      }
      Query others = new BooleanQuery.Builder().add(new MatchAllDocsQuery(), Occur.FILTER)
          .add(new TermQuery(new Term(F_CALL_ID, callId)), Occur.MUST_NOT).build();
      int depth = Math.min(1000, Math.max(100, k * 20));
      Map<String, MemoryHit> best = new LinkedHashMap<>();
      for (ScoreDoc d : s.search(knn(mean, depth, others), depth).scoreDocs) {
        MemoryDoc doc = read(s, d.doc);
        best.putIfAbsent(doc.callId(), new MemoryHit(2.0 * d.score - 1.0, doc));
        if (best.size() == k) {
          break;
        }
      }
      return new ArrayList<>(best.values());
    });
  }

  /** The indexed chunk with this MEMORY_ID, or null. */
  public @Nullable MemoryDoc doc(String memoryId) {
    return withSearcher(s -> {
      ScoreDoc[] hits = s.search(new TermQuery(new Term(F_MEMORY_ID, memoryId)), 1).scoreDocs;
      return hits.length == 0 ? null : read(s, hits[0].doc);
    });
  }

  /** A call's chunks in order, or empty. */
  public List<MemoryDoc> callChunks(String callId) {
    return withSearcher(s -> {
      TopDocs td = s.search(new TermQuery(new Term(F_CALL_ID, callId)), 100_000,
          new Sort(new SortField(F_CHUNK, SortField.Type.INT)));
      List<MemoryDoc> out = new ArrayList<>();
      for (ScoreDoc d : td.scoreDocs) {
        out.add(read(s, d.doc));
      }
      return out;
    });
  }

  /**
   * The chunks of an account's calls (case-insensitive name), grouped by call, newest call first;
   * at most {@code maxCalls} calls.
   */
  public Map<String, List<MemoryDoc>> accountCalls(String account, int maxCalls) {
    Map<String, List<MemoryDoc>> byCall = withSearcher(s -> {
      Map<String, List<MemoryDoc>> out = new HashMap<>();
      Query q = new TermQuery(new Term(F_ACCOUNT_KEY, key(account)));
      for (ScoreDoc d : s.search(q, 100_000).scoreDocs) {
        MemoryDoc doc = read(s, d.doc);
        out.computeIfAbsent(doc.callId(), c -> new ArrayList<>()).add(doc);
      }
      return out;
    });
    Comparator<List<MemoryDoc>> newest = Comparator.comparing(
        (List<MemoryDoc> l) -> l.get(0).startedMs() == null ? Long.MIN_VALUE : l.get(0).startedMs())
        .reversed();
    Map<String, List<MemoryDoc>> sorted = new LinkedHashMap<>();
    byCall.values().stream().sorted(newest.thenComparing(l -> l.get(0).callId())).limit(maxCalls)
        .forEach(l -> {
          l.sort(Comparator.comparingInt(MemoryDoc::chunkIndex));
          sorted.put(l.get(0).callId(), l);
        });
    return sorted;
  }

  @Override
  public void close() {
    try {
      searchers.close();
      // The index is rebuilt from the warehouse on every start: drop it without the commit and
      // pending segment merges a close() would run first (minutes on a large index).
      writer.rollback();
      directory.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reciprocal rank fusion of rankings (doc → sum over rankings of 1 / (RRF_K + rank)). */
  static Map<Integer, Double> rrf(List<List<ScoreDoc>> rankings) {
    Map<Integer, Double> fused = new HashMap<>();
    for (List<ScoreDoc> ranking : rankings) {
      for (int i = 0; i < ranking.size(); i++) {
        fused.merge(ranking.get(i).doc, 1.0 / (RRF_K + i + 1), Double::sum);
      }
    }
    return fused;
  }

  private List<MemoryHit> top(IndexSearcher s, Map<Integer, Double> scores, int k)
      throws IOException {
    List<Map.Entry<Integer, Double>> entries = new ArrayList<>(scores.entrySet());
    entries.sort(Map.Entry.<Integer, Double>comparingByValue().reversed()
        .thenComparing(Map.Entry.comparingByKey()));
    List<MemoryHit> out = new ArrayList<>();
    for (Map.Entry<Integer, Double> e : entries.subList(0, Math.min(k, entries.size()))) {
      out.add(new MemoryHit(e.getValue(), read(s, e.getKey())));
    }
    return out;
  }

  private Query knn(float[] vector, int depth, @Nullable Query filter) {
    if (vector.length != dimension) {
      throw new IllegalArgumentException("query vector has " + vector.length
          + " dimensions; the index holds " + dimension);
    }
    float[] v = vector.clone();
    if (!normalise(v)) {
      throw new IllegalArgumentException("query vector is all zeros");
    }
    return new KnnFloatVectorQuery(F_VECTOR, v, depth, filter);
  }

  /**
   * Question words dropped from a keyword query before analysis ("what did they say about
   * Quillstack" searches for Quillstack): they match nearly every turn and drown the rare terms.
   */
  static final Set<String> QUESTION_WORDS = Set.of("what", "whats", "did", "does", "do", "say",
      "said", "says", "about", "how", "who", "which", "when", "where", "why", "they", "them",
      "their", "we", "our", "us", "you", "your", "i", "me", "my", "is", "are", "was", "were", "be",
      "been", "any", "anything", "tell", "talk", "talked", "mention", "mentioned", "there");

  /** Added to the fused score of a chunk that says every code of the query (> any RRF sum). */
  static final double EXACT_CODE_BONUS = 1.0;

  /**
   * The query's codes and numbers: whitespace-separated words with a digit, at least three
   * characters without surrounding punctuation ("PO-77312", "$48,500", "INC-20931", "v2.3.1",
   * "475"), each as the phrase of its analysed terms (the standard tokenizer splits "PO-77312"
   * into "po" and "77312"), all required. Null when the query has none.
   */
  @Nullable Query exactCodesQuery(String query) {
    BooleanQuery.Builder all = new BooleanQuery.Builder();
    int n = 0;
    for (String w : query.split("\\s+")) {
      String word = w.replaceAll("^[^\\p{L}\\p{N}$€£¥]+|[^\\p{L}\\p{N}]+$", "");
      if (word.length() < 3 || !word.chars().anyMatch(Character::isDigit)) {
        continue;
      }
      List<String> terms = analyse(word);
      if (terms.isEmpty()) {
        continue;
      }
      if (terms.size() == 1) {
        all.add(new TermQuery(new Term(F_TEXT, terms.get(0))), Occur.MUST);
      } else {
        all.add(new PhraseQuery(F_TEXT, terms.toArray(String[]::new)), Occur.MUST);
      }
      n++;
    }
    return n == 0 ? null : all.build();
  }

  private List<String> analyse(String text) {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream(F_TEXT, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** OR of the query's analysed terms (BM25), or null when no term is left (stop words only). */
  @Nullable Query keywordQuery(String query) {
    StringBuilder kept = new StringBuilder();
    for (String w : query.split("\\s+")) {
      if (!QUESTION_WORDS.contains(w.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", ""))) {
        kept.append(kept.length() == 0 ? "" : " ").append(w);
      }
    }
    String text = kept.length() == 0 ? query : kept.toString();
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    int n = 0;
    try (TokenStream ts = analyzer.tokenStream(F_TEXT, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      Set<String> seen = new LinkedHashSet<>();
      while (ts.incrementToken()) {
        if (seen.add(term.toString()) && n < BooleanQuery.getMaxClauseCount()) {
          b.add(new TermQuery(new Term(F_TEXT, term.toString())), Occur.SHOULD);
          n++;
        }
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return n == 0 ? null : b.build();
  }

  /** The request's filters as one FILTER query, or null for none. */
  static @Nullable Query filter(SearchRequest r) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    boolean any = false;
    if (r.account() != null) {
      b.add(new TermQuery(new Term(F_ACCOUNT_KEY, key(r.account()))), Occur.FILTER);
      any = true;
    }
    if (r.since() != null || r.until() != null) {
      long lo = r.since() == null ? Long.MIN_VALUE : r.since().toEpochMilli();
      long hi = r.until() == null ? Long.MAX_VALUE : r.until().toEpochMilli() - 1;
      b.add(LongPoint.newRangeQuery(F_STARTED, lo, hi), Occur.FILTER);
      any = true;
    }
    if (r.affiliation() != null) {
      b.add(new TermQuery(new Term(F_AFFILIATION_KEY, key(r.affiliation()))), Occur.FILTER);
      any = true;
    }
    return any ? b.build() : null;
  }

  private static @Nullable Query and(@Nullable Query a, @Nullable Query b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return new BooleanQuery.Builder().add(a, Occur.FILTER).add(b, Occur.FILTER).build();
  }

  private static String key(String s) {
    return s.trim().toLowerCase(Locale.ROOT);
  }

  private Document toDocument(MemoryDoc d) {
    if (d.vector().length != dimension) {
      throw new IllegalArgumentException(d.memoryId() + " has a " + d.vector().length
          + "-d vector; the index holds " + dimension);
    }
    float[] v = d.vector().clone();
    if (!normalise(v)) {
      throw new IllegalArgumentException(d.memoryId() + " has an all-zero vector");
    }
    Document doc = new Document();
    doc.add(new StringField(F_MEMORY_ID, d.memoryId(), Field.Store.YES));
    doc.add(new StringField(F_CALL_ID, d.callId(), Field.Store.YES));
    doc.add(new NumericDocValuesField(F_CHUNK, d.chunkIndex()));
    doc.add(new StoredField(F_CHUNK, d.chunkIndex()));
    doc.add(new TextField(F_TEXT, d.text(), Field.Store.YES));
    doc.add(new KnnFloatVectorField(F_VECTOR, v, VectorSimilarityFunction.DOT_PRODUCT));
    stored(doc, F_TITLE, d.title());
    stored(doc, F_URL, d.url());
    stored(doc, F_ACCOUNT, d.account());
    if (d.account() != null) {
      doc.add(new StringField(F_ACCOUNT_KEY, key(d.account()), Field.Store.NO));
    }
    if (d.startedMs() != null) {
      doc.add(new LongPoint(F_STARTED, d.startedMs()));
      doc.add(new StoredField(F_STARTED, d.startedMs()));
    }
    stored(doc, F_SPEAKER, d.speaker());
    stored(doc, F_AFFILIATION, d.affiliation());
    if (d.affiliation() != null) {
      doc.add(new StringField(F_AFFILIATION_KEY, key(d.affiliation()), Field.Store.NO));
    }
    if (d.startMs() != null) {
      doc.add(new StoredField(F_START_MS, d.startMs()));
    }
    if (d.endMs() != null) {
      doc.add(new StoredField(F_END_MS, d.endMs()));
    }
    doc.add(new StoredField(F_LOADED, d.loadedAtMicros()));
    return doc;
  }

  private static void stored(Document doc, String field, @Nullable String value) {
    if (value != null) {
      doc.add(new StoredField(field, value));
    }
  }

  private MemoryDoc read(IndexSearcher s, int docId) throws IOException {
    StoredFields fields = s.storedFields();
    Document d = fields.document(docId);
    float[] v = vectorOf(s, docId);
    return new MemoryDoc(d.get(F_MEMORY_ID), d.get(F_CALL_ID),
        d.getField(F_CHUNK).numericValue().intValue(), d.get(F_TEXT),
        v == null ? new float[0] : v, d.get(F_TITLE), d.get(F_URL), d.get(F_ACCOUNT),
        longOf(d, F_STARTED), d.get(F_SPEAKER), d.get(F_AFFILIATION), longOf(d, F_START_MS),
        longOf(d, F_END_MS), longOf(d, F_LOADED) == null ? 0L : longOf(d, F_LOADED));
  }

  private static @Nullable Long longOf(Document d, String field) {
    var f = d.getField(field);
    return f == null ? null : f.numericValue().longValue();
  }

  private static float @Nullable [] vectorOf(IndexSearcher s, int docId) throws IOException {
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(docId, leaves));
    FloatVectorValues values = leaf.reader().getFloatVectorValues(F_VECTOR);
    int local = docId - leaf.docBase;
    if (values == null || values.advance(local) != local) {
      return null;
    }
    return values.vectorValue().clone();
  }

  /** L2-normalises in place; false for a zero (or non-finite) vector. */
  static boolean normalise(float[] v) {
    double n = 0;
    for (float f : v) {
      n += (double) f * f;
    }
    if (!(n > 0) || !Double.isFinite(n)) {
      return false;
    }
    float inv = (float) (1.0 / Math.sqrt(n));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
    return true;
  }

  @FunctionalInterface
  private interface SearchWork<T> {
    T run(IndexSearcher s) throws IOException;
  }

  private <T> T withSearcher(SearchWork<T> work) {
    try {
      IndexSearcher s = searchers.acquire();
      try {
        return work.run(s);
      } finally {
        searchers.release(s);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
