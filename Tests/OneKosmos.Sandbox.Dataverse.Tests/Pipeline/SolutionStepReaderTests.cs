using System;
using System.IO;
using OneKosmos.Sandbox.Dataverse.Pipeline;
using OneKosmos.Solution.Model;

namespace OneKosmos.Sandbox.Dataverse.Tests.Pipeline
{
    /// <summary>A broken registration is refused with a message that names the file and what to fix.</summary>
    [TestClass]
    public sealed class SolutionStepReaderTests
    {
        private const string CreateId = "9ebdbb1b-ea3e-db11-86a7-000a3a5473e8";
        private const string DeleteId = "a1bdbb1b-ea3e-db11-86a7-000a3a5473e8";

        private string _solution = null!;

        [TestInitialize]
        public void CreateSolutionFolder()
        {
            _solution = Path.Combine(Path.GetTempPath(), "okos-steps-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path.Combine(_solution, SolutionStepReader.StepsFolder));
        }

        [TestCleanup]
        public void RemoveSolutionFolder() => Directory.Delete(_solution, recursive: true);

        private void WriteStep(string body, string messageId = CreateId, string stage = "40", string mode = "0") =>
            File.WriteAllText(
                Path.Combine(_solution, SolutionStepReader.StepsFolder, "{0b5e0000-0000-4000-8000-000000000001}.xml"),
                $"""
                <SdkMessageProcessingStep Name="step" SdkMessageProcessingStepId="{"{"}0b5e0000-0000-4000-8000-000000000001{"}"}">
                  <SdkMessageId>{messageId}</SdkMessageId>
                  <PluginTypeName>Contoso.Plugin, Contoso</PluginTypeName>
                  <PrimaryEntity>contact</PrimaryEntity>
                  <Mode>{mode}</Mode>
                  <Stage>{stage}</Stage>
                  {body}
                </SdkMessageProcessingStep>
                """);

        private string Refusal()
        {
            var exception = Assert.ThrowsExactly<InvalidDataException>(() => SolutionStepReader.Read(_solution));
            StringAssert.Contains(exception.Message, "{0b5e0000-0000-4000-8000-000000000001}.xml");
            return exception.Message;
        }

        [TestMethod]
        public void Read_NoStepsFolder_GivesNoSteps()
        {
            Directory.Delete(Path.Combine(_solution, SolutionStepReader.StepsFolder));

            Assert.AreEqual(0, SolutionStepReader.Read(_solution).Count);
        }

        [TestMethod]
        public void Read_MalformedXml_IsRefused()
        {
            File.WriteAllText(Path.Combine(_solution, SolutionStepReader.StepsFolder, "{0b5e0000-0000-4000-8000-000000000001}.xml"), "<SdkMessageProcessingStep>");

            StringAssert.Contains(Refusal(), "not well-formed");
        }

        [TestMethod]
        public void Read_UnknownMessageId_IsRefusedNamingTheElement()
        {
            WriteStep("", messageId: "00000000-0000-0000-0000-000000000001");

            StringAssert.Contains(Refusal(), "<SdkMessageId>");
        }

        [TestMethod]
        public void Read_StageOutsideThePublicStages_IsRefused()
        {
            WriteStep("", stage: "30");

            StringAssert.Contains(Refusal(), "<Stage>");
        }

        [TestMethod]
        public void Read_AsyncStepBeforePostOperation_IsRefused()
        {
            WriteStep("", stage: "20", mode: "1");

            StringAssert.Contains(Refusal(), "asynchronous step must be registered at stage 40");
        }

        [TestMethod]
        public void Read_PreImageOnCreate_IsRefused()
        {
            WriteStep("<SdkMessageProcessingStepImages><SdkMessageProcessingStepImage Name=\"Pre\"><EntityAlias>Pre</EntityAlias><ImageType>0</ImageType></SdkMessageProcessingStepImage></SdkMessageProcessingStepImages>");

            StringAssert.Contains(Refusal(), "no pre-image");
        }

        [TestMethod]
        public void Read_PostImageOnDelete_IsRefused()
        {
            WriteStep("<SdkMessageProcessingStepImages><SdkMessageProcessingStepImage Name=\"Post\"><EntityAlias>Post</EntityAlias><ImageType>1</ImageType></SdkMessageProcessingStepImage></SdkMessageProcessingStepImages>", messageId: DeleteId);

            StringAssert.Contains(Refusal(), "post-image");
        }

        [TestMethod]
        public void Read_MissingPluginType_IsRefused()
        {
            File.WriteAllText(
                Path.Combine(_solution, SolutionStepReader.StepsFolder, "{0b5e0000-0000-4000-8000-000000000001}.xml"),
                $"<SdkMessageProcessingStep SdkMessageProcessingStepId=\"{Guid.NewGuid()}\"><SdkMessageId>{CreateId}</SdkMessageId><Mode>0</Mode><Stage>20</Stage></SdkMessageProcessingStep>");

            StringAssert.Contains(Refusal(), "<PluginTypeName>");
        }

        [TestMethod]
        public void LoadSteps_PluginTypeNotInTheAssemblies_SaysWhichStepAndType()
        {
            WriteStep("");
            var dataverse = TestDataverse.Create();

            var exception = Assert.ThrowsExactly<InvalidOperationException>(() => dataverse.LoadSteps(_solution, typeof(SolutionStepReaderTests).Assembly));

            StringAssert.Contains(exception.Message, "Contoso.Plugin");
        }
    }
}
