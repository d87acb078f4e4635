package com.gongpipeline.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.util.BytesRef;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Which chunks a search may return, decided from the warehouse rather than the index: the calls
 * with a tracker, the chunks classified into a risk category. Null sets do not restrict; an empty
 * set matches nothing.
 */
public record SearchScope(@Nullable Set<String> callIds, @Nullable Set<String> memoryIds) {

  Query query(String callField, String memoryField) {
    List<Query> parts = new ArrayList<>();
    if (callIds != null) {
      parts.add(in(callField, callIds));
    }
    if (memoryIds != null) {
      parts.add(in(memoryField, memoryIds));
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    parts.forEach(q -> b.add(q, Occur.FILTER));
    return b.build();
  }

  private static Query in(String field, Set<String> values) {
    if (values.isEmpty()) {
      return new MatchNoDocsQuery("nothing in scope");
    }
    return new TermInSetQuery(field, values.stream().map(BytesRef::new).toList());
  }
}
