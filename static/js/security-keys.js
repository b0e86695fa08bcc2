// The "Sign-in security" page: once django-otp-webauthn's script has registered a security key
// or passkey, the page is loaded again so that the new key is listed.
document.addEventListener("otp_webauthn.register_complete", () => {
  window.location.reload();
});
