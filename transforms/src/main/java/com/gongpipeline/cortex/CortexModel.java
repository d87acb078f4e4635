package com.gongpipeline.cortex;

import com.gongpipeline.chunking.E5Tokenizer;
import com.gongpipeline.chunking.TokenCounter;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * The Cortex REST embedding models this pipeline knows, with what the pipeline must know about
 * each: dimension, token window, the prefixes the model was trained with, and a token counter
 * that never counts fewer tokens than the model does.
 *
 * <p>e5-base-v2 and the arctic-embed-m models use BERT's uncased WordPiece vocabulary, the same as
 * the local e5-small-v2, so {@link E5Tokenizer} counts exactly. arctic-embed-l-v2.0 uses the
 * XLM-RoBERTa SentencePiece vocabulary, which this build does not ship; its counter is {@link
 * CodePointTokenCounter}, an upper bound (every token covers at least one character), so its chunks
 * come out smaller than they need to be but never over the window. All four have a 512-token
 * window (reference §1.2); longer input is refused with HTTP 400 rather than truncated.
 */
public record CortexModel(String name, int dimension, int maxInputTokens, String passagePrefix,
    String queryPrefix, boolean exactTokenizer) implements Serializable {

  public static final CortexModel E5_BASE_V2 =
      new CortexModel("e5-base-v2", 768, 512, "passage: ", "query: ", true);
  public static final CortexModel ARCTIC_EMBED_M_V1_5 =
      new CortexModel("snowflake-arctic-embed-m-v1.5", 768, 512, "",
          "Represent this sentence for searching relevant passages: ", true);
  public static final CortexModel ARCTIC_EMBED_M =
      new CortexModel("snowflake-arctic-embed-m", 768, 512, "",
          "Represent this sentence for searching relevant passages: ", true);
  public static final CortexModel ARCTIC_EMBED_L_V2_0 =
      new CortexModel("snowflake-arctic-embed-l-v2.0", 1024, 512, "", "query: ", false);

  public static final List<CortexModel> KNOWN =
      List.of(E5_BASE_V2, ARCTIC_EMBED_M_V1_5, ARCTIC_EMBED_M, ARCTIC_EMBED_L_V2_0);

  /** The known model of this name (case-insensitive). */
  public static CortexModel named(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (CortexModel m : KNOWN) {
      if (m.name().equals(n)) {
        return m;
      }
    }
    throw new IllegalArgumentException("Unknown Cortex embedding model '" + name + "'; known: "
        + KNOWN.stream().map(CortexModel::name).toList());
  }

  /** Counts like the model (exact for the BERT-vocabulary models, an upper bound otherwise). */
  public TokenCounter tokenCounter() {
    return exactTokenizer ? new E5Tokenizer() : new CodePointTokenCounter();
  }
}
