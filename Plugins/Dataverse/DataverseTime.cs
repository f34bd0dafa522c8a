using System;

namespace OneKosmos.Plugins.Dataverse
{
    /// <summary>Date and time columns as the domain reads them.</summary>
    public static class DataverseTime
    {
        /// <summary>A date-time column's value as a UTC instant: Dataverse stores UTC, but the SDK hands it back unspecified.</summary>
        public static DateTimeOffset? Utc(DateTime? value) =>
            value is { } time ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)) : null;
    }
}
