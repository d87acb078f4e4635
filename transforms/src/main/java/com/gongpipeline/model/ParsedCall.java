package com.gongpipeline.model;

import com.gongpipeline.warehouse.WarehouseRow;
import java.io.Serializable;
import java.util.List;

/**
 * A call parsed into typed staging rows and speaker turns. Sentiment columns are still empty: the
 * scoring step fills them before the rows are written.
 *
 * @param callRow the {@code STG_GONG_CALLS} row without sentiment
 * @param participants {@code STG_GONG_CALL_PARTICIPANTS} rows
 * @param topics {@code STG_GONG_CALL_TOPICS} rows
 * @param turns the transcript's speaker turns, in order, joined to parties
 */
public record ParsedCall(
    CallContext context,
    WarehouseRow callRow,
    List<WarehouseRow> participants,
    List<WarehouseRow> topics,
    List<TranscriptTurn> turns)
    implements Serializable {}
