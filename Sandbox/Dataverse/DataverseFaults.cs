using System;
using System.Collections.Generic;
using System.Linq;
using System.ServiceModel;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.Sandbox.Dataverse
{
    /// <summary>The one place where the in-memory Dataverse builds the faults the real platform raises.</summary>
    internal static class DataverseFaults
    {
        public static FaultException<OrganizationServiceFault> ObjectDoesNotExist(string table, Guid id) =>
            Create(DataverseErrorCodes.ObjectDoesNotExist, $"{table} With Id = {id} Does Not Exist");

        public static FaultException<OrganizationServiceFault> ObjectDoesNotExist(string table, IEnumerable<KeyValuePair<string, object>> key) =>
            Create(DataverseErrorCodes.ObjectDoesNotExist, $"A record with the specified key values does not exist in {table} entity ({Describe(key)})");

        public static FaultException<OrganizationServiceFault> DuplicateRecord(string table, Guid id) =>
            Create(DataverseErrorCodes.DuplicateRecord, $"Cannot insert duplicate key: {table} with id {id} already exists.");

        public static FaultException<OrganizationServiceFault> DuplicateRecordEntityKey(string table, string keyName, IEnumerable<KeyValuePair<string, object>> values) =>
            Create(
                DataverseErrorCodes.DuplicateRecordEntityKey,
                $"A record that has the attribute values {Describe(values)} already exists in {table}. The entity key {keyName} requires that this set of attributes contains unique values.");

        /// <remarks>Dataverse's exact code for a missing relationship is not documented where we looked; it is an invalid argument either way.</remarks>
        public static FaultException<OrganizationServiceFault> NoSuchRelationship(string schemaName) =>
            Create(DataverseErrorCodes.InvalidArgument, $"The relationship {schemaName} is not a many-to-many relationship this environment defines: check its schema name.");

        public static FaultException<OrganizationServiceFault> AlreadyAssociated(string relationship, EntityReference first, EntityReference second) =>
            Create(DataverseErrorCodes.DuplicateRecord, $"Cannot insert duplicate key: {first.LogicalName} {first.Id} and {second.LogicalName} {second.Id} are already associated through {relationship}.");

        /// <remarks>Rows of an intersect table are written through Associate and Disassociate only, as in Dataverse.</remarks>
        public static FaultException<OrganizationServiceFault> IntersectWrite(string table, string relationship) =>
            Create(DataverseErrorCodes.InvalidArgument, $"{table} is the intersect table of the many-to-many relationship {relationship}: its rows are written by Associate and Disassociate only.");

        public static FaultException<OrganizationServiceFault> AggregateQueryRecordLimit(int limit) =>
            Create(DataverseErrorCodes.AggregateQueryRecordLimit, $"AggregateQueryRecordLimit exceeded. Cannot perform this operation: the query takes in more than {limit:N0} rows; filter it further.");

        public static FaultException<OrganizationServiceFault> InvalidArgument(string message) =>
            Create(DataverseErrorCodes.InvalidArgument, message);

        public static FaultException<OrganizationServiceFault> ConcurrencyVersionMismatch(string table, Guid id) =>
            Create(DataverseErrorCodes.ConcurrencyVersionMismatch, $"The version of the existing {table} record {id} doesn't match the RowVersion property provided.");

        public static FaultException<OrganizationServiceFault> NoSuchTable(string table) =>
            Create(DataverseErrorCodes.QueryBuilderNoEntity, $"The entity with a name = '{table}' was not found in the MetadataCache.");

        public static FaultException<OrganizationServiceFault> NoSuchColumn(string table, string column) =>
            Create(DataverseErrorCodes.QueryBuilderNoAttribute, $"'{table}' entity doesn't contain attribute with Name = '{column}'.");

        public static FaultException<OrganizationServiceFault> PrivilegeDenied(Guid callerId, string privilege) =>
            Create(DataverseErrorCodes.PrivilegeDenied, $"Principal user (Id={callerId}) is missing privilege {privilege}: none of the user's security roles grants it.");

        public static FaultException<OrganizationServiceFault> AccessDenied(Guid callerId, string right, string table, Guid id) =>
            Create(DataverseErrorCodes.AccessDenied, $"Principal with id = {callerId} does not have {right} right(s) for record with id = {id} of entity {table}.");

        public static FaultException<OrganizationServiceFault> SecuredColumn(Guid callerId, string table, string column, string action) =>
            Create(DataverseErrorCodes.PrivilegeDenied, $"Principal user (Id={callerId}) cannot {action} the field-secured column {table}.{column}: no field security profile of the user allows it.");

        public static FaultException<OrganizationServiceFault> NoActiveTransaction() =>
            Create(
                DataverseErrorCodes.NoActiveTransaction,
                "There is no active transaction. This error is usually caused by custom plug-ins that ignore errors from service calls and continue processing.");

        public static FaultException<OrganizationServiceFault> InfiniteLoop(int depth) =>
            Create(
                DataverseErrorCodes.IsvAborted,
                $"This workflow job was canceled because the workflow that started it included an infinite loop (plug-in depth {depth} exceeds 8). Correct the workflow logic and try again.");

        public static FaultException<OrganizationServiceFault> PluginFailed(int errorCode, string message) => Create(errorCode, message);

        public static FaultException<OrganizationServiceFault> PluginUnexpected(string step, Exception exception) =>
            Create(DataverseErrorCodes.IsvUnexpected, $"An unexpected error occurred from ISV code. (Step '{step}': {exception.GetType().FullName}: {exception.Message})");

        private static FaultException<OrganizationServiceFault> Create(int errorCode, string message)
        {
            var fault = new OrganizationServiceFault { ErrorCode = errorCode, Message = message, Timestamp = DateTime.UtcNow };
            return new FaultException<OrganizationServiceFault>(fault, new FaultReason(message));
        }

        private static string Describe(IEnumerable<KeyValuePair<string, object>> values) =>
            string.Join(", ", values.Select(pair => $"{pair.Key}={ValueText(pair.Value)}"));

        private static string ValueText(object value) => value switch
        {
            null => "null",
            EntityReference reference => reference.Id.ToString(),
            OptionSetValue option => option.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "",
        };
    }
}
