using System;
using OneKosmos.Core.Callbacks;

namespace OneKosmos.Core.Tests.Callbacks
{
    [TestClass]
    public sealed class NotificationTests
    {
        private const string Id = "okos_msg_1";

        private static string Rejection(string? body, string messageId = Id)
        {
            Assert.IsNull(Notification.Parse(body, messageId, out var rejection));
            return rejection!;
        }

        [TestMethod]
        public void Parse_BlockIdNotification_ReadsItsSessionAndTime()
        {
            var notification = Notification.Parse("{\"type\":\"blockid.idv\",\"id\":\"okos_msg_1\",\"sessionId\":\"S-1\",\"occurredAt\":\"2026-11-27T08:00:00Z\",\"data\":{}}", Id, out var rejection)!;

            Assert.IsNull(rejection);
            Assert.AreEqual(NotificationType.BlockIdIdv, notification.Type);
            Assert.AreEqual("S-1", notification.SubjectId);
            Assert.AreEqual(new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero), notification.OccurredAt);
        }

        [TestMethod]
        public void Parse_EntraAndReconcile_TakeTheirOwnSubjects()
        {
            Assert.AreEqual("R-9", Notification.Parse("{\"type\":\"entra.issuance\",\"id\":\"okos_msg_1\",\"requestId\":\"R-9\"}", Id, out _)!.SubjectId);
            Assert.IsNull(Notification.Parse("{\"type\":\"reconcile\",\"id\":\"okos_msg_1\"}", Id, out _)!.SubjectId);
        }

        [TestMethod]
        public void Parse_RefusesEachBrokenShapeWithItsReason()
        {
            Assert.AreEqual("EMPTY_BODY", Rejection(""));
            Assert.AreEqual("MALFORMED_JSON", Rejection("{\"type\":"));
            Assert.AreEqual("MALFORMED_JSON", Rejection("[1,2]"));
            Assert.AreEqual("UNKNOWN_TYPE", Rejection("{\"type\":\"blockid.other\",\"id\":\"okos_msg_1\",\"sessionId\":\"S\"}"));
            Assert.AreEqual("ID_MISMATCH", Rejection("{\"type\":\"blockid.idv\",\"id\":\"another\",\"sessionId\":\"S\"}"));
            Assert.AreEqual("MISSING_SUBJECT", Rejection("{\"type\":\"blockid.idv\",\"id\":\"okos_msg_1\"}"));
            Assert.AreEqual("MISSING_SUBJECT", Rejection("{\"type\":\"blockid.idv\",\"id\":\"okos_msg_1\",\"sessionId\":42}"));
            Assert.AreEqual("BAD_TIMESTAMP", Rejection("{\"type\":\"blockid.idv\",\"id\":\"okos_msg_1\",\"sessionId\":\"S\",\"occurredAt\":\"yesterday\"}"));
        }

        [TestMethod]
        public void Parse_ABodyOverTheCap_IsRefusedUnread()
        {
            Assert.AreEqual("BODY_TOO_LARGE", Rejection("{\"type\":\"blockid.idv\",\"pad\":\"" + new string('x', 1024 * 1024) + "\"}"));
        }

        [TestMethod]
        public void Parse_DeeplyNestedJson_IsMalformedNotACrash()
        {
            Assert.AreEqual("MALFORMED_JSON", Rejection(new string('[', 5000) + new string(']', 5000)));
        }
    }
}
