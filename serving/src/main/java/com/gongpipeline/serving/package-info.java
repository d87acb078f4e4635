/** serve: a hybrid (BM25 + HNSW) index over AI_MEMORY, its HTTP API, MCP server and search page. */
package com.gongpipeline.serving;
