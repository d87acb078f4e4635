/**
 * A Gong REST API v2 simulator: a real HTTP server on 127.0.0.1 serving deterministic, seeded
 * sales-call data in Gong's wire format, for the demo and for every test.
 *
 * <p>Entry points: {@link com.gongpipeline.gong.sim.GongSimulator} (start/baseUrl/groundTruth/
 * stats/close), {@link com.gongpipeline.gong.sim.SimulatorConfig} (seed, size, limits, faults,
 * processing lag, clock), {@link com.gongpipeline.gong.sim.GroundTruth} (what a perfect sync must
 * contain, including which calls are hard cases) and
 * {@link com.gongpipeline.gong.sim.SimulatorStats}.
 *
 * <p>Served: {@code GET /v2/calls}, {@code GET /v2/calls/{id}}, {@code POST /v2/calls/extensive},
 * {@code POST /v2/calls/transcript}, {@code GET /v2/users}, {@code GET /v2/workspaces} (Basic
 * auth, 3 req/s and 10,000/day per tenant, cursor pagination with page sizes 37/17/13/29, Gong's
 * error envelope, the "No calls found corresponding to the provided filters" 404), and the
 * unauthenticated {@code GET /sim/ground-truth} and {@code GET /sim/stats}.
 *
 * <p>Deliberate simplifications: filters always apply to the actual start time (real Gong uses
 * the scheduled time for web conferences on {@code GET /v2/calls}); only the endpoints above
 * exist; {@code totalRecords} always equals what the sequence returns.
 */
package com.gongpipeline.gong.sim;
