package io.stagedrollout.cli.ci;

/** CLI answers in the shape of the JSON contract (COMMON.md). */
final class Fixtures {
    private Fixtures() {}

    static final String CANARY_FAILED = """
            {"command":"advance","result":"rolled-back","exitCode":3,"message":"canary failed: error-rate",
             "rollout":{"key":"checkout/production","id":"r-42","service":"checkout","environment":"production",
               "version":"2.0.0","stableVersion":"1.9.0","lastGoodVersion":"1.9.0","status":"ROLLED_BACK",
               "ring":"canary","ringIndex":0,"ringCount":3,"exposurePercent":5.0,"revision":9,
               "verdict":{"ring":"canary","verdict":"FAIL","reason":"error-rate 0.2 > 0.05 in 2 of 3 measurements",
                 "gates":[
                   {"gate":"error-rate","verdict":"FAIL","dryRun":false,"reason":"error-rate 0.2 > 0.05 in 2 of 3 measurements, failureLimit 1",
                    "measurements":3,"passed":1,"failed":2,"inconclusive":0,"errors":0,
                    "last":{"outcome":"FAIL","value":0.2,"summary":"20 errors / 100 requests"}},
                   {"gate":"smoke","verdict":"PASS","dryRun":false,"reason":"3 of 3 passed",
                    "measurements":3,"passed":3,"failed":0,"inconclusive":0,"errors":0,
                    "last":{"outcome":"PASS","value":200,"summary":"HTTP 200"}},
                   {"gate":"latency","verdict":"FAIL","dryRun":true,"reason":"p99 900ms > 500ms",
                    "measurements":3,"passed":0,"failed":3,"inconclusive":0,"errors":0,"last":null},
                   {"gate":"saturation","verdict":"INCONCLUSIVE","dryRun":false,"reason":"no data in 2 of 3",
                    "measurements":3,"passed":1,"failed":0,"inconclusive":2,"errors":0,"last":null}]},
               "gates":[],
               "rings":[{"name":"canary","exposurePercent":5.0,"bake":"10m","approval":"auto","gates":["error-rate"],"state":"current"}]},
             "problems":[]}
            """;

    static final String COMPLETED = """
            {"command":"advance","result":"applied","exitCode":0,"message":"rollout completed",
             "rollout":{"key":"checkout/production","id":"r-43","version":"2.0.1","stableVersion":"1.9.0",
               "lastGoodVersion":"2.0.1","status":"COMPLETED","ring":"everyone","ringIndex":2,"ringCount":3,
               "exposurePercent":100.0,
               "verdict":{"ring":"everyone","verdict":"PASS","reason":"all gates passed","gates":[
                 {"gate":"error-rate","verdict":"PASS","dryRun":false,"reason":"0.001 <= 0.05",
                  "measurements":2,"passed":2,"failed":0,"inconclusive":0,"errors":0,
                  "last":{"outcome":"PASS","value":0.001,"summary":"1 error / 1000 requests"}}]}},
             "problems":[]}
            """;

    static final String INVALID = """
            {"command":"start","result":"invalid","exitCode":2,"message":"the plan has 1 problem",
             "problems":[{"path":"rings[1].exposure","line":7,"message":"exposure must not decrease"}]}
            """;
}
