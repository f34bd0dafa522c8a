using OneKosmos.Core.Verification;

namespace OneKosmos.Core.Tests.Verification
{
    /// <summary>Issue #22, finding 6: "not-an-email" is no way to reach a contact.</summary>
    [TestClass]
    public sealed class ContactAddressTests
    {
        [TestMethod]
        [DataRow("jane@example.com", true)]
        [DataRow("  jane.doe+kyc@mail.example.co.uk ", true)]
        [DataRow("not-an-email", false)]
        [DataRow("jane@localhost", false)]
        [DataRow("jane doe@example.com", false)]
        [DataRow("@example.com", false)]
        [DataRow("", false)]
        [DataRow(null, false)]
        public void IsEmail(string? text, bool expected) => Assert.AreEqual(expected, ContactAddress.IsEmail(text));

        [TestMethod]
        public void AContactWithAMobileButABadEmail_CanBeReached_OneWithNeither_Cannot()
        {
            Assert.IsTrue(ContactAddress.CanBeReached("not-an-email", "+44 7700 900123"));
            Assert.IsFalse(ContactAddress.CanBeReached("not-an-email", " "));
        }
    }
}
