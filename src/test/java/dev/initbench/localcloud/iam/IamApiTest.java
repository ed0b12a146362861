package dev.initbench.localcloud.iam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.initbench.localcloud.LocalCloudExtension;
import dev.initbench.localcloud.SignedHttp;
import dev.initbench.localcloud.SignedHttp.Request;
import dev.initbench.localcloud.SignedHttp.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** IAM roles over awsQuery, signed with the SDK's SigV4 signer (the build has no IAM client). */
class IamApiTest {

    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";
    private static final String BASIC = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";
    @RegisterExtension
    static final LocalCloudExtension CLOUD = new LocalCloudExtension();

    private static Response iam(String parameters) {
        return SignedHttp.send(CLOUD.cloud(), "iam", Request.form("Version=2010-05-08&" + parameters));
    }

    private static String encoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Test
    void createdRoleIsReadBackWithResultBeforeMetadataAndUrlEncodedTrustPolicy() {
        Response created = iam("Action=CreateRole&RoleName=reader&Path=%2Fservice%2F&AssumeRolePolicyDocument="
                + encoded(TRUST) + "&Tags.member.1.Key=run&Tags.member.1.Value=42");
        Response read = iam("Action=GetRole&RoleName=reader");

        assertThat(created.status()).isEqualTo(200);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("content-type")).startsWith("text/xml");
        assertThat(read.body()).startsWith("<GetRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
                + "<GetRoleResult><Role><Path>/service/</Path><RoleName>reader</RoleName><RoleId>AROA");
        assertThat(read.body().indexOf("</GetRoleResult>")).isLessThan(read.body().indexOf("<ResponseMetadata>"));
        assertThat(read.body()).contains("<Arn>arn:aws:iam::000000000000:role/service/reader</Arn>")
                .contains("<AssumeRolePolicyDocument>%7B%22Version%22%3A%222012-10-17%22")
                .containsPattern("<CreateDate>\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z</CreateDate>")
                .contains("<Tags><member><Key>run</Key><Value>42</Value></member></Tags>");
    }

    @Test
    void policiesAreRecordedAndMustBeRemovedBeforeTheRoleIsDeleted() {
        iam("Action=CreateRole&RoleName=worker&AssumeRolePolicyDocument=" + encoded(TRUST));
        assertThat(iam("Action=AttachRolePolicy&RoleName=worker&PolicyArn=" + encoded(BASIC)).status())
                .isEqualTo(200);
        assertThat(iam("Action=PutRolePolicy&RoleName=worker&PolicyName=read&PolicyDocument="
                + encoded("{\"Version\":\"2012-10-17\",\"Statement\":[]}")).status()).isEqualTo(200);

        assertThat(iam("Action=ListAttachedRolePolicies&RoleName=worker").body())
                .contains("<AttachedPolicies><member><PolicyName>AWSLambdaBasicExecutionRole</PolicyName>"
                        + "<PolicyArn>" + BASIC + "</PolicyArn></member></AttachedPolicies>");
        assertThat(iam("Action=ListRolePolicies&RoleName=worker").body())
                .contains("<PolicyNames><member>read</member></PolicyNames>");
        Response conflict = iam("Action=DeleteRole&RoleName=worker");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.body()).contains("<Code>DeleteConflict</Code>").contains(BASIC);

        iam("Action=DetachRolePolicy&RoleName=worker&PolicyArn=" + encoded(BASIC));
        iam("Action=DeleteRolePolicy&RoleName=worker&PolicyName=read");
        Response deleted = iam("Action=DeleteRole&RoleName=worker");
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.body()).startsWith("<DeleteRoleResponse").doesNotContain("DeleteRoleResult");
        assertThat(iam("Action=GetRole&RoleName=worker").status()).isEqualTo(404);
    }

    @Test
    void duplicateRoleIsEntityAlreadyExists() {
        iam("Action=CreateRole&RoleName=twice&AssumeRolePolicyDocument=" + encoded(TRUST));

        Response again = iam("Action=CreateRole&RoleName=twice&AssumeRolePolicyDocument=" + encoded(TRUST));

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).contains("<Code>EntityAlreadyExists</Code>").contains("twice");
    }

    @Test
    void inTheFormBodyAPlusIsASpaceAndPercent2BIsAPlus() {
        // The SDKs write %20; curl -d and HTML forms write +.
        iam("Action=CreateRole&RoleName=described&Description=runs+the+c%2B%2B+bench&AssumeRolePolicyDocument="
                + encoded(TRUST));

        assertThat(iam("Action=GetRole&RoleName=described").body())
                .contains("<Description>runs the c++ bench</Description>");
    }
}
