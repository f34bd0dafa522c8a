namespace OneKosmos.Sandbox.BlockId
{
    /// <summary>What the person did on the capture page of a simulated session.</summary>
    public enum CaptureOutcome
    {
        /// <summary>Document and liveness-checked selfie passed: IAL2.</summary>
        PassWithSelfie,
        /// <summary>Document checks passed, no selfie: IAL1.</summary>
        DocumentOnly,
        /// <summary>The selfie failed liveness: FAILED with a reason code.</summary>
        LivenessFail,
        /// <summary>A document 1Kosmos does not support: FAILED with IDV0006.</summary>
        UnsupportedDocument,
        /// <summary>The person left; the session stays in progress until its TTL, then reports EXPIRED.</summary>
        Abandon,
    }

    /// <summary>A fault the simulator injects into the next matching call.</summary>
    public enum SimulatedFault
    {
        /// <summary>Answers normally, after <see cref="BlockIdSimulatorOptions.SlowResponseDelay"/>.</summary>
        Slow,
        /// <summary>HTTP 429 with a Retry-After of 30 seconds.</summary>
        Throttle,
        /// <summary>HTTP 503.</summary>
        ServerError,
        /// <summary>Never answers (the caller's timeout fires) and does nothing.</summary>
        TimeoutBeforeWork,
        /// <summary>Does the work (a create makes its session), then never answers.</summary>
        TimeoutAfterWork,
        /// <summary>Answers 200 with a body that is not JSON.</summary>
        MalformedBody,
        /// <summary>Answers a result sealed with a key that is not the one it names.</summary>
        WrongResponseKey,
    }
}
