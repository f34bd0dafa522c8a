namespace OneKosmos.Sandbox.Dataverse
{
    /// <summary>The <c>ErrorCode</c> values of the organization-service faults the in-memory Dataverse raises.</summary>
    /// <remarks>
    /// The first three are the codes Microsoft documents for these errors; the others are the platform's codes
    /// for the same conditions as commonly observed, and are what a caller should test for.
    /// </remarks>
    public static class DataverseErrorCodes
    {
        /// <summary>0x80040217: no row with that id or alternate key.</summary>
        public const int ObjectDoesNotExist = -2147220969;

        /// <summary>0x80040237: a row with that primary key already exists.</summary>
        public const int DuplicateRecord = -2147220937;

        /// <summary>0x80060892: another row already holds those alternate-key values.</summary>
        public const int DuplicateRecordEntityKey = -2147088238;

        /// <summary>0x80040203: a request argument is missing or malformed.</summary>
        public const int InvalidArgument = -2147220989;

        /// <summary>0x80060882: the row changed since the <c>RowVersion</c> the caller read.</summary>
        public const int ConcurrencyVersionMismatch = -2147088254;

        /// <summary>
        /// 0x80040265: a plug-in threw <c>InvalidPluginExecutionException</c> (its own code, when it set one).
        /// The plug-in depth guard reports this code too: the platform's own code for that abort is not published.
        /// </summary>
        public const int IsvAborted = -2147220891;

        /// <value>The HResult every exception starts with (COR_E_EXCEPTION): an InvalidPluginExecutionException given no code has it.</value>
        private const int NoCodeGiven = -2146233088;

        /// <summary>
        /// The code Dataverse answers a plug-in's InvalidPluginExecutionException with: the one the plug-in gave, else IsvAborted.
        /// The exception's ErrorCode is its HResult, so "none given" is the HResult an exception starts with.
        /// </summary>
        public static int OfPluginException(Microsoft.Xrm.Sdk.InvalidPluginExecutionException exception) =>
            exception.ErrorCode == NoCodeGiven ? IsvAborted : exception.ErrorCode;

        /// <summary>0x80040224: a plug-in threw any other exception.</summary>
        public const int IsvUnexpected = -2147220956;

        /// <summary>0x8004E023: an aggregate query would take in more rows than its limit (learn.microsoft.com/power-apps/developer/data-platform/fetchxml/aggregate-data#limitations).</summary>
        public const int AggregateQueryRecordLimit = -2147164125;

        /// <summary>0x80041102: no table of that logical name exists.</summary>
        public const int QueryBuilderNoEntity = -2147217150;

        /// <summary>0x80041103: the table has no column of that logical name.</summary>
        public const int QueryBuilderNoAttribute = -2147217149;

        /// <summary>The caller's roles grant no privilege for the action on that table (or the custom API's execute privilege).</summary>
        public const int PrivilegeDenied = -2147220960;

        /// <summary>The caller holds the privilege, but not at a depth that reaches this row.</summary>
        public const int AccessDenied = -2147187962;

        /// <summary>A request ran in a transaction that an earlier failed request had already ended.</summary>
        public const int NoActiveTransaction = -2147220911;
    }
}
