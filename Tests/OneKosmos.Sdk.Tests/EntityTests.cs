using System;
using System.Collections.Generic;
using Microsoft.Xrm.Sdk;

namespace OneKosmos.Sdk.Tests
{
    [TestClass]
    public sealed class EntityTests
    {
        [TestMethod]
        public void Indexer_MissingAttribute_ThrowsKeyNotFound()
        {
            var entity = new Entity("contact");

            Assert.ThrowsExactly<KeyNotFoundException>(() => _ = entity["lastname"]);
        }

        [TestMethod]
        public void GetAttributeValue_MissingAttribute_ReturnsDefault()
        {
            var entity = new Entity("contact");

            Assert.IsNull(entity.GetAttributeValue<string>("lastname"));
            Assert.AreEqual(0, entity.GetAttributeValue<int>("okos_count"));
            Assert.IsNull(entity.GetAttributeValue<DateTime?>("okos_verifiedat"));
        }

        [TestMethod]
        public void GetAttributeValue_WrongType_ThrowsInvalidCast()
        {
            var entity = new Entity("contact") { ["okos_status"] = new OptionSetValue(1) };

            Assert.ThrowsExactly<InvalidCastException>(() => entity.GetAttributeValue<EntityReference>("okos_status"));
        }

        [TestMethod]
        public void GetAttributeValue_NullableOfStoredValue_ReturnsIt()
        {
            var entity = new Entity("contact") { ["okos_verifiedat"] = new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc) };

            Assert.AreEqual(new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc), entity.GetAttributeValue<DateTime?>("okos_verifiedat"));
        }

        [TestMethod]
        public void TryGetAttributeValue_SaysWhetherAValueOfThatTypeIsThere()
        {
            var entity = new Entity("contact") { ["lastname"] = "Doe" };

            Assert.IsTrue(entity.TryGetAttributeValue<string>("lastname", out var name));
            Assert.AreEqual("Doe", name);
            Assert.IsFalse(entity.TryGetAttributeValue<string>("firstname", out _));
        }

        [TestMethod]
        public void Attributes_KeysAreCaseSensitive()
        {
            var entity = new Entity("contact") { ["lastname"] = "Doe" };

            Assert.IsTrue(entity.Contains("lastname"));
            Assert.IsFalse(entity.Contains("LastName"));
        }

        [TestMethod]
        public void KeyConstructor_PutsTheValueInKeyAttributesNotAttributes()
        {
            var entity = new Entity("okos_verification", "okos_sessionid", "S-1");

            Assert.AreEqual("S-1", entity.KeyAttributes["okos_sessionid"]);
            Assert.IsFalse(entity.Contains("okos_sessionid"));
            Assert.AreEqual(Guid.Empty, entity.Id);
        }

        [TestMethod]
        public void ToEntityReference_CarriesTableAndId()
        {
            var id = Guid.NewGuid();

            var reference = new Entity("contact", id).ToEntityReference();

            Assert.AreEqual(new EntityReference("contact", id), reference);
        }

        [TestMethod]
        public void EntityReferences_AreEqualOnlyWithTheSameAlternateKeyValues()
        {
            var byKey = new EntityReference("okos_verification", "okos_sessionid", "S-1");

            Assert.AreEqual(new EntityReference("okos_verification", "okos_sessionid", "S-1"), byKey);
            Assert.AreNotEqual(new EntityReference("okos_verification", "okos_sessionid", "S-2"), byKey, "same table, same empty id, another key");
        }

        [TestMethod]
        public void AnEntityCollection_CopiesTheListItIsGiven()
        {
            var rows = new System.Collections.Generic.List<Entity> { new("contact") };
            var collection = new EntityCollection(rows);

            rows.Add(new Entity("contact"));

            Assert.AreEqual(1, collection.Entities.Count);
        }

        [TestMethod]
        public void BaseServiceFault_IsAbstract_OnlyItsFaultsAreMade() =>
            Assert.IsTrue(typeof(BaseServiceFault).IsAbstract);

        [TestMethod]
        public void AnEntity_HasFormattedValuesAndRelatedEntities_EmptyAtFirst()
        {
            var row = new Entity("contact");
            row.FormattedValues["okos_status"] = "Verified";
            row.RelatedEntities[new Relationship("contact_okos_verification")] = new EntityCollection();

            Assert.AreEqual("Verified", row.FormattedValues["okos_status"]);
            Assert.AreEqual(1, row.RelatedEntities.Count);
            Assert.AreEqual(0, new Entity("contact").FormattedValues.Count);
        }

        private sealed class EarlyBoundContact : Entity
        {
            public EarlyBoundContact()
                : base("contact")
            {
            }

            public string LastName
            {
                get => GetAttributeValue<string>("lastname");
                set => SetAttributeValue("lastname", value);
            }
        }

        [TestMethod]
        public void SetAttributeValue_IsWhatAnEarlyBoundPropertyWritesThrough() =>
            Assert.AreEqual("Doe", new EarlyBoundContact { LastName = "Doe" }["lastname"]);

        [TestMethod]
        public void AddOrUpdateIfNotNull_SetsAValue_AndLeavesANullOut()
        {
            var parameters = new ParameterCollection();

            parameters.AddOrUpdateIfNotNull("Status", "Pending");
            parameters.AddOrUpdateIfNotNull("Status", "Verified");
            parameters.AddOrUpdateIfNotNull("Reason", null);

            Assert.AreEqual("Verified", parameters["Status"]);
            Assert.IsFalse(parameters.ContainsKey("Reason"));
        }

        [TestMethod]
        public void AnOptionSetValueCollection_HoldsTheChosenOptions() =>
            Assert.AreEqual(2, new OptionSetValueCollection(new System.Collections.Generic.List<OptionSetValue> { new(1), new(2) }).Count);
    }
}
