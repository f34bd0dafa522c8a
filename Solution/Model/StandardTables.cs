using System;
using System.Collections.Generic;
using System.Linq;

namespace OneKosmos.Solution.Model
{
    /// <summary>
    /// The platform tables the product touches, declared here because no solution of ours defines them. Only the
    /// columns the product, its tests and the sandbox use are declared: writing any other column of these
    /// tables fails in the sandbox even though Dataverse has it. Add a column here when the product needs it.
    /// </summary>
    internal static class StandardTables
    {
        private const string Source = "standard tables (Solution/Model/StandardTables.cs)";

        public static IEnumerable<TableMetadata> All()
        {
            yield return Table("contact", "Contact", Ownership.UserOwned, new[] { (0, new[] { 1 }), (1, new[] { 2 }) })
                .Text("firstname", 50).Text("lastname", 50).Text("middlename", 50).Name("fullname", 160).Text("emailaddress1", 100)
                .Text("telephone1", 50).Text("mobilephone", 50).Lookup("parentcustomerid", "account", "contact")
                // Relationship Type: the platform ships 1 (Default Value) and organizations add their own; 100000001 stands for
                // the "Employee" an HR onboarding process adds.
                .Choice("customertypecode", 1, 100000001);
            yield return Table("account", "Account", Ownership.UserOwned, new[] { (0, new[] { 1 }), (1, new[] { 2 }) })
                .Name("name", 160).Text("emailaddress1", 100).Text("telephone1", 50).Lookup("primarycontactid", "contact").Hierarchy("parentaccountid");
            yield return Table("opportunity", "Opportunity", Ownership.UserOwned, new[] { (0, new[] { 1, 2 }), (1, new[] { 3 }), (2, new[] { 4, 5 }) })
                .Name("name", 300).Lookup("parentcontactid", "contact").Lookup("parentaccountid", "account").Lookup("customerid", "account", "contact")
                .Column("stageid", ColumnType.UniqueIdentifier).Text("stepname", 200).Choice("salesstage", 0, 1, 2, 3).Column("estimatedvalue", ColumnType.Money);
            yield return Table("opportunityclose", "OpportunityClose", Ownership.UserOwned, new[] { (0, new[] { 1 }), (1, new[] { 2 }), (2, new[] { 3 }) }, "activityid")
                .Text("subject", 200).Lookup("opportunityid", "opportunity").Column("actualrevenue", ColumnType.Money).Column("actualend", ColumnType.DateTime);
            yield return Table("opportunitysalesprocess", null, Ownership.UserOwned, new[] { (0, new[] { 1 }), (1, new[] { 2, 3 }) }, "businessprocessflowinstanceid")
                .Text("name", 200).Lookup("opportunityid", "opportunity").Lookup("activestageid", "processstage").Lookup("processid", "workflow");
            yield return Table("processstage", null, Ownership.OrganizationOwned, null)
                .Text("stagename", 100).Text("primaryentitytypecode", 100).Lookup("processid", "workflow").Choice("stagecategory", 0, 1, 2, 3, 4, 5, 6);
            yield return Table("lead", "Lead", Ownership.UserOwned, new[] { (0, new[] { 1, 2 }), (1, new[] { 3 }), (2, new[] { 4, 5, 6, 7 }) })
                .Text("firstname", 50).Text("lastname", 50).Name("fullname", 160).Text("subject", 300).Text("emailaddress1", 100)
                .Lookup("parentcontactid", "contact").Lookup("parentaccountid", "account");
            yield return Table("incident", "Incident", Ownership.UserOwned, new[] { (0, new[] { 1, 2, 3, 4 }), (1, new[] { 5, 1000 }), (2, new[] { 6, 2000 }) })
                .Name("title", 200).Lookup("customerid", "account", "contact").Lookup("primarycontactid", "contact").Column("billedserviceunits", ColumnType.Integer);
            yield return Table("annotation", "Note", Ownership.UserOwned, null)
                .Name("subject", 500).Text("notetext", 100000).Lookup("objectid").Text("objecttypecode", 100).Column("isdocument", ColumnType.Boolean);
            // Emails take the Activity privileges (prvReadActivity…), as every activity does.
            yield return Table("email", "Activity", Ownership.UserOwned, new[] { (0, new[] { 1 }), (1, new[] { 2, 3, 4, 6, 7, 8 }), (2, new[] { 5 }) }, "activityid")
                .Name("subject", 800).Text("description", 1048576).Lookup("regardingobjectid", "contact", "account", "opportunity", "lead", "incident")
                .Column("to", ColumnType.PartyList).Column("from", ColumnType.PartyList).Column("directioncode", ColumnType.Boolean);
            yield return Table("queue", null, Ownership.UserOwned, new[] { (0, new[] { 1 }), (1, new[] { 2 }) })
                .Name("name", 200).Text("emailaddress", 100);
            yield return Table("systemuser", null, Ownership.OrganizationOwned, null)
                .Name("fullname", 200).Text("domainname", 1024).Text("internalemailaddress", 100).Lookup("businessunitid", "businessunit").Column("isdisabled", ColumnType.Boolean)
                .Hierarchy("parentsystemuserid");
            yield return Table("businessunit", null, Ownership.OrganizationOwned, null)
                .Name("name", 160).Lookup("parentbusinessunitid", "businessunit");
            yield return Table("team", null, Ownership.OrganizationOwned, null)
                .Name("name", 160).Lookup("businessunitid", "businessunit");
            yield return Table("role", null, Ownership.OrganizationOwned, null)
                .Name("name", 100).Lookup("businessunitid", "businessunit");
            yield return Table("environmentvariabledefinition", "EnvironmentVariableDefinition", Ownership.OrganizationOwned, new[] { (0, new[] { 1 }), (1, new[] { 2 }) })
                .Text("schemaname", 100).Text("displayname", 100).Text("defaultvalue", 2000)
                .Choice("type", 100000000, 100000001, 100000002, 100000003, 100000004, 100000005);
            yield return Table("environmentvariablevalue", "EnvironmentVariableValue", Ownership.OrganizationOwned, new[] { (0, new[] { 1 }), (1, new[] { 2 }) })
                .Text("schemaname", 100).Text("value", 2000).Lookup("environmentvariabledefinitionid", "environmentvariabledefinition");
            foreach (var table in DeploymentTables())
            {
                yield return table;
            }
        }

        /// <summary>
        /// The platform tables a deployment writes: the solution and its components, plug-in packages, assemblies and types,
        /// messages and their filters, steps and their images, custom APIs and the system jobs an asynchronous import runs as.
        /// Columns and choice values as Microsoft's table references give them
        /// (https://learn.microsoft.com/power-apps/developer/data-platform/reference/entities/sdkmessageprocessingstep and the
        /// pages beside it); stage, mode and image type are choices there, so they are here.
        /// </summary>
        private static IEnumerable<TableMetadata> DeploymentTables()
        {
            yield return Table("solution", "Solution", Ownership.OrganizationOwned, null)
                .Text("uniquename", 65).Text("friendlyname", 256).Text("version", 256).Column("ismanaged", ColumnType.Boolean);
            yield return Table("solutioncomponent", "Solution", Ownership.OrganizationOwned, null)
                .Column("componenttype", ColumnType.Integer).Column("objectid", ColumnType.UniqueIdentifier).Lookup("solutionid", "solution")
                .Column("rootcomponentbehavior", ColumnType.Integer);
            yield return Table("pluginpackage", "PluginPackage", Ownership.OrganizationOwned, null)
                .Text("name", 256).Text("uniquename", 256).Text("version", 256).Lookup("solutionid", "solution");
            yield return Table("pluginassembly", "PluginAssembly", Ownership.OrganizationOwned, null)
                .Text("name", 256).Text("version", 48).Text("publickeytoken", 32).Text("culture", 32).Lookup("packageid", "pluginpackage")
                .Choice("isolationmode", 1, 2, 3).Choice("sourcetype", 0, 1, 2, 3, 4).Text("sourcehash", 256);
            yield return Table("plugintype", "PluginType", Ownership.OrganizationOwned, null)
                .Text("typename", 256).Text("name", 256).Text("friendlyname", 256).Text("assemblyname", 100).Lookup("pluginassemblyid", "pluginassembly")
                .Text("plugintypeexportkey", 64).Column("isworkflowactivity", ColumnType.Boolean).Text("workflowactivitygroupname", 256);
            yield return Table("sdkmessage", "SdkMessage", Ownership.OrganizationOwned, null)
                .Text("name", 256).Column("isprivate", ColumnType.Boolean);
            yield return Table("sdkmessagefilter", "SdkMessageFilter", Ownership.OrganizationOwned, null)
                .Lookup("sdkmessageid", "sdkmessage").Text("primaryobjecttypecode", 100).Text("secondaryobjecttypecode", 100)
                .Column("iscustomprocessingstepallowed", ColumnType.Boolean);
            yield return Table("sdkmessageprocessingstep", "SdkMessageProcessingStep", Ownership.OrganizationOwned, new[] { (0, new[] { 1 }), (1, new[] { 2 }) })
                .Text("name", 256).Text("description", 256).Lookup("eventhandler", "plugintype").Lookup("sdkmessageid", "sdkmessage")
                .Lookup("sdkmessagefilterid", "sdkmessagefilter").Choice("stage", 5, 10, 15, 20, 25, 30, 40, 45, 50).Choice("mode", 0, 1)
                .Column("rank", ColumnType.Integer).Text("filteringattributes", 100000).Text("configuration", 1073741823)
                .Choice("supporteddeployment", 0, 1, 2).Column("asyncautodelete", ColumnType.Boolean).Choice("invocationsource", -1, 0, 1);
            yield return Table("sdkmessageprocessingstepimage", "SdkMessageProcessingStepImage", Ownership.OrganizationOwned, null)
                .Text("name", 256).Text("entityalias", 256).Choice("imagetype", 0, 1, 2).Text("messagepropertyname", 256).Text("attributes", 100000)
                .Lookup("sdkmessageprocessingstepid", "sdkmessageprocessingstep");
            yield return Table("customapi", "CustomAPI", Ownership.UserOwned, new[] { (0, new[] { 1 }), (1, new[] { 2 }) })
                .Text("uniquename", 128).Text("name", 100).Text("displayname", 100).Lookup("plugintypeid", "plugintype").Text("executeprivilegename", 100);
            // Cloud flows are workflow rows of category 5 (Modern Flow) whose clientdata holds the definition; their connections
            // are bound through connection references (learn.microsoft.com/power-automate/manage-flows-with-code).
            yield return Table("workflow", "Workflow", Ownership.UserOwned, new[] { (0, new[] { 1 }), (1, new[] { 2 }), (2, new[] { 3 }) })
                .Name("name", 100).Choice("category", 0, 1, 2, 3, 4, 5, 6, 7, 8, 9).Choice("type", 1, 2, 3).Text("primaryentity", 100)
                .Text("clientdata", 1073741823).Text("description", 100000);
            yield return Table("connectionreference", "ConnectionReference", Ownership.UserOwned, new[] { (0, new[] { 1 }), (1, new[] { 2 }) })
                .Text("connectionreferencelogicalname", 100).Name("connectionreferencedisplayname", 100).Text("connectorid", 100).Text("connectionid", 100);
            yield return Table("asyncoperation", "AsyncOperation", Ownership.UserOwned, new[] { (0, new[] { 0 }), (1, new[] { 10, 20, 21 }), (2, new[] { 22 }), (3, new[] { 30, 31, 32 }) })
                .Text("name", 256).Column("operationtype", ColumnType.Integer).Text("message", 1073741823).Text("friendlymessage", 1073741823)
                .Column("completedon", ColumnType.DateTime);
        }

        /// <remarks>
        /// <c>privilegeName</c> is the platform's privilege suffix (prvReadContact; notes are prvReadNote); null leaves the
        /// table unchecked: users, business units, teams, roles and process tables are read only by platform code here.
        /// </remarks>
        private static TableMetadata Table(string name, string? privilegeName, Ownership ownership, (int State, int[] Statuses)[]? states, string? primaryId = null)
        {
            var table = new TableMetadata(name, ownership, Source, privilegeName, primaryId);
            table.Add(new ColumnMetadata(table.PrimaryIdAttribute, ColumnType.PrimaryKey));
            foreach (var column in SystemColumns.For(ownership))
            {
                table.Add(column);
            }
            if (states is not null)
            {
                table.Add(new ColumnMetadata("statecode", ColumnType.Choice) { Options = states.Select(state => state.State).ToArray() });
                table.Add(new ColumnMetadata("statuscode", ColumnType.Choice) { Options = states.SelectMany(state => state.Statuses).ToArray() });
            }
            return table;
        }

        private static TableMetadata Text(this TableMetadata table, string name, int maxLength) =>
            table.With(new ColumnMetadata(name, ColumnType.String) { MaxLength = maxLength });

        /// <summary>The table's primary name column (Microsoft's table reference names it for each table).</summary>
        private static TableMetadata Name(this TableMetadata table, string name, int maxLength)
        {
            table.PrimaryNameAttribute = name;
            return table.Text(name, maxLength);
        }

        private static TableMetadata Lookup(this TableMetadata table, string name, params string[] targets) =>
            table.With(new ColumnMetadata(name, ColumnType.Lookup) { Targets = targets });

        /// <summary>The lookup of the table's hierarchical relationship: account's parent account, a user's manager, as the platform ships them.</summary>
        private static TableMetadata Hierarchy(this TableMetadata table, string name)
        {
            table.HierarchyColumn = name;
            return table.Lookup(name, table.LogicalName);
        }

        private static TableMetadata Choice(this TableMetadata table, string name, params int[] options) =>
            table.With(new ColumnMetadata(name, ColumnType.Choice) { Options = options });

        private static TableMetadata Column(this TableMetadata table, string name, ColumnType type) =>
            table.With(new ColumnMetadata(name, type));

        private static TableMetadata With(this TableMetadata table, ColumnMetadata column)
        {
            table.Add(column);
            return table;
        }
    }

    /// <summary>The columns the platform keeps on every table: who and when, version, and ownership.</summary>
    internal static class SystemColumns
    {
        public static IEnumerable<ColumnMetadata> For(Ownership ownership)
        {
            yield return new ColumnMetadata("createdon", ColumnType.DateTime) { IsSystemManaged = true };
            yield return new ColumnMetadata("modifiedon", ColumnType.DateTime) { IsSystemManaged = true };
            yield return new ColumnMetadata("createdby", ColumnType.Lookup) { IsSystemManaged = true, Targets = new[] { "systemuser" } };
            yield return new ColumnMetadata("modifiedby", ColumnType.Lookup) { IsSystemManaged = true, Targets = new[] { "systemuser" } };
            yield return new ColumnMetadata("versionnumber", ColumnType.BigInt) { IsSystemManaged = true };
            if (ownership == Ownership.UserOwned)
            {
                yield return new ColumnMetadata("ownerid", ColumnType.Lookup) { Targets = new[] { "systemuser", "team" } };
                yield return new ColumnMetadata("owningbusinessunit", ColumnType.Lookup) { IsSystemManaged = true, Targets = new[] { "businessunit" } };
                yield return new ColumnMetadata("owninguser", ColumnType.Lookup) { IsSystemManaged = true, Targets = new[] { "systemuser" } };
                yield return new ColumnMetadata("owningteam", ColumnType.Lookup) { IsSystemManaged = true, Targets = new[] { "team" } };
            }
            else
            {
                yield return new ColumnMetadata("organizationid", ColumnType.Lookup) { IsSystemManaged = true, Targets = new[] { "organization" } };
            }
        }

        public static bool IsSystemManaged(string column) =>
            column is "createdon" or "modifiedon" or "createdby" or "modifiedby" or "versionnumber" or "owningbusinessunit" or "owninguser" or "owningteam" or "organizationid";
    }
}
