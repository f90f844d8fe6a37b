export const id = 551;
export const ids = [551];
export const modules = {

/***/ 4551:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SsmQuiescer: () => (/* binding */ SsmQuiescer)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(4736);
/* harmony import */ var _clock_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(9373);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
/* harmony import */ var _quiesce_report_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8097);
/* harmony import */ var _sleep_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(5613);
/* harmony import */ var _aws_call_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(2836);
/**
 * Quiescing through SSM Run Command: whether an instance is managed and online
 * (`DescribeInstanceInformation`), a command sent (`SendCommand`) and its invocation polled until
 * it ends (`GetCommandInvocation`). Translates only: what runs when is decided in `../quiesce.ts`.
 */






/** The statuses after which an invocation changes no more. */
const ENDED = new Set(['Success', 'Failed', 'TimedOut', 'Cancelled']);
/** SendCommand's delivery timeout has a floor of 30 seconds. */
const MIN_DELIVERY_SECONDS = 30;
class SsmQuiescer {
    ssm;
    region;
    clock;
    sleep;
    pollMs;
    constructor(ssm, region, options = {}) {
        this.ssm = ssm;
        this.region = region;
        this.clock = options.clock ?? _clock_js__WEBPACK_IMPORTED_MODULE_4__/* .systemClock */ .m;
        this.sleep = options.sleep ?? _sleep_js__WEBPACK_IMPORTED_MODULE_2__/* .sleep */ .yy;
        this.pollMs = options.pollMs ?? 1_000;
    }
    async unavailable(instanceId, signal) {
        const answer = await (0,_aws_call_js__WEBPACK_IMPORTED_MODULE_3__/* .awsCall */ .u)(`Could not check that ${instanceId} is managed by Systems Manager in ${this.region}`, () => this.ssm.send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_5__/* .DescribeInstanceInformationCommand */ .MXw({
            Filters: [{ Key: 'InstanceIds', Values: [instanceId] }],
        }), { abortSignal: signal }), { signal });
        const info = answer.InstanceInformationList?.find((item) => item.InstanceId === instanceId);
        if (!info) {
            return `${instanceId} is not a managed instance of Systems Manager in ${this.region}: it needs the SSM agent running and an instance profile that allows it (AmazonSSMManagedInstanceCore)`;
        }
        if (info.PingStatus !== 'Online') {
            return `the SSM agent of ${instanceId} is ${info.PingStatus ?? 'not online'}, not Online`;
        }
        return undefined;
    }
    async send(instanceId, command, signal) {
        const answer = await (0,_aws_call_js__WEBPACK_IMPORTED_MODULE_3__/* .awsCall */ .u)(`Could not send ${command.document} to ${instanceId} in ${this.region}`, () => this.ssm.send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_5__/* .SendCommandCommand */ .VWR({
            DocumentName: command.document,
            InstanceIds: [instanceId],
            Parameters: command.parameters,
            TimeoutSeconds: MIN_DELIVERY_SECONDS,
            Comment: 'snapshot-rotation quiesce',
        }), { abortSignal: signal }), { signal });
        const id = answer.Command?.CommandId;
        if (!id)
            throw new Error(`SendCommand returned no command id for ${instanceId}`);
        return id;
    }
    async outcome(commandId, instanceId, timeoutMs, signal) {
        const start = this.clock().getTime();
        for (;;) {
            const answer = await this.invocation(commandId, instanceId, signal);
            if (answer !== 'not-yet' && ENDED.has(answer.Status ?? ''))
                return toOutcome(answer);
            const left = start + timeoutMs - this.clock().getTime();
            if (left <= 0) {
                return {
                    status: 'TimedOut',
                    output: `no end within ${Math.round(timeoutMs / 1000)}s (last status: ${answer === 'not-yet' ? 'not yet visible' : (answer.Status ?? 'unknown')})`,
                };
            }
            await this.sleep(Math.min(this.pollMs, left), signal);
        }
    }
    /** The invocation, or `not-yet` right after SendCommand, before SSM shows it (eventual consistency). */
    invocation(commandId, instanceId, signal) {
        return (0,_aws_call_js__WEBPACK_IMPORTED_MODULE_3__/* .awsCall */ .u)(`Could not read command ${commandId} on ${instanceId} in ${this.region}`, () => this.ssm.send(new _aws_sdk_client_ssm__WEBPACK_IMPORTED_MODULE_5__/* .GetCommandInvocationCommand */ .ryN({ CommandId: commandId, InstanceId: instanceId }), {
            abortSignal: signal,
        }), {
            signal,
            recover: (error) => ((0,_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .hasAwsCode */ .t6)(error, 'InvocationDoesNotExist') ? 'not-yet' : undefined),
        });
    }
}
function toOutcome(answer) {
    const code = answer.ResponseCode;
    const output = (0,_quiesce_report_js__WEBPACK_IMPORTED_MODULE_1__/* .firstLines */ .UV)([answer.StandardOutputContent, answer.StandardErrorContent].filter(Boolean).join('\n'));
    return {
        status: answer.Status ?? 'unknown',
        ...(code !== undefined && code >= 0 ? { exitCode: code } : {}),
        output,
    };
}


/***/ })

};
