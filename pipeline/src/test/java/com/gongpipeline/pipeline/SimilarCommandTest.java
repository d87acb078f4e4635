package com.gongpipeline.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import com.gongpipeline.enrich.EmbeddingMath;
import com.gongpipeline.model.CallFacts;
import com.gongpipeline.parse.JsonSupport;
import com.gongpipeline.transforms.StagingRows;
import com.gongpipeline.warehouse.Warehouse;
import com.gongpipeline.warehouse.WarehouseRow;
import com.gongpipeline.warehouse.WarehouseTable;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code similar}: call vectors ranked by cosine, own call/deal, deleted and private calls out. */
class SimilarCommandTest {
  @TempDir Path dir;

  private static WarehouseRow call(String id, String title, String deal, boolean isPrivate) {
    return StagingRows.call(new CallFacts(id, title, Instant.parse("2026-03-0" + id.length()
        + "T10:00:00Z"), null, null, null, null, null, null, "eng", null, null, null, isPrivate,
        "Acme " + id, null, deal, null, null, null, null, null, null, "[]", "[]", 2, 1, 1, 5, "j",
        Instant.EPOCH), null, null);
  }

  private static WarehouseRow vector(String id, float... v) {
    return WarehouseRow.of(WarehouseTable.CALL_VECTORS).set("CALL_ID", id)
        .set("SOURCE_TYPE", "call").set("EMBEDDING", EmbeddingMath.normalize(v))
        .set("EMBEDDING_MODEL", "e5-small-v2").set("EMBEDDING_DIM", v.length)
        .set("CHUNK_COUNT", 1).set("INPUT_HASH", "h" + id).set("JOB_ID", "j")
        .set("LOADED_AT", Instant.EPOCH).build();
  }

  private String url() {
    String url = "jdbc:duckdb:" + dir.resolve("w.duckdb");
    try (Warehouse wh = Warehouse.open(url)) {
      wh.applySchema();
      wh.merge(WarehouseTable.STG_CALLS, List.of(call("a", "Pricing A", "d1", false),
          call("bb", "Pricing B", "d1", false), call("ccc", "Pricing C", "d2", false),
          call("dddd", "Weather D", "d3", false), call("eeeee", "Private E", "d4", true),
          call("ffffff", "Deleted F", "d4", false)));
      wh.merge(WarehouseTable.CALL_VECTORS, List.of(vector("a", 1, 0, 0),
          vector("bb", 1, 0.2f, 0), vector("ccc", 1, 0.5f, 0), vector("dddd", 0, 0, 1),
          vector("eeeee", 1, 0.01f, 0), vector("ffffff", 1, 0.02f, 0)));
      wh.markCallDeleted("ffffff", "j2", Instant.now());
    }
    return url;
  }

  private static String run(List<String> args, int[] code) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    code[0] = GongPipelineCli.run(args.toArray(String[]::new),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void ranksOtherCallsByCosine_withoutItself_deletedOrPrivateCalls() {
    String url = url();
    int[] code = new int[1];
    String out = run(List.of("similar", "--call=a", "--k=2", "--warehouse=" + url), code);
    assertThat(out, code[0], is(0));
    assertThat(out, containsString("2 call(s) similar to call a"));
    assertThat(out, containsString("1. score 0.981 | Pricing B | 2026-03-02 | Acme bb | call bb"));
    assertThat(out, containsString("2. score 0.894 | Pricing C | 2026-03-03 | Acme ccc"));

    String json = run(List.of("similar", "--call=a", "--k=10", "--json", "--warehouse=" + url),
        code);
    List<String> ids = new ArrayList<>();
    for (String line : json.strip().split("\n")) {
      ids.add(JsonSupport.parse(line).get("call_id").asText());
    }
    assertThat(ids, is(List.of("bb", "ccc", "dddd")));
    assertThat(JsonSupport.parse(json.split("\n")[2]).get("score").asDouble(), closeTo(0, 1e-6));
  }

  @Test
  void aDealsCallsTogether_leaveTheDealOut_andBadUsageExitsTwo() {
    String url = url();
    int[] code = new int[1];
    String json = run(List.of("similar", "--deal=d1", "--k=1", "--json", "--warehouse=" + url),
        code);
    assertThat(code[0], is(0));
    assertThat(JsonSupport.parse(json.strip()).get("call_id").asText(), is("ccc"));
    assertThat(JsonSupport.parse(json.strip()).get("account").asText(), is("Acme ccc"));

    run(List.of("similar", "--warehouse=" + url), code);
    assertThat(code[0], is(2));
    run(List.of("similar", "--call=a", "--deal=d1", "--warehouse=" + url), code);
    assertThat(code[0], is(2));
    String unknown = run(List.of("similar", "--call=ffffff", "--warehouse=" + url), code);
    assertThat(unknown, code[0], is(2));
    assertThat(unknown, containsString("has no call vector"));
  }
}
