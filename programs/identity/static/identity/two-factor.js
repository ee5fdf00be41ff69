// Starts allauth's WebAuthn forms (mfa/js/webauthn.js) from data- attributes, so the pages need
// no inline script: data-webauthn names the form ("addForm", "authenticateForm", "loginForm"),
// data-webauthn-ids the element ids it uses, data-webauthn-data the server's options (JSON).
(function () {
  'use strict'
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-webauthn]').forEach(function (element) {
      const start = window.allauth && window.allauth.webauthn.forms[element.dataset.webauthn]
      if (!start || !window.PublicKeyCredential) {
        return
      }
      const options = { ids: JSON.parse(element.dataset.webauthnIds) }
      if (element.dataset.webauthnData) {
        options.data = JSON.parse(element.dataset.webauthnData)
      }
      element.hidden = false
      start(options)
    })
  })
  // allauth reports a refused or failed key here; say so beside the button.
  document.addEventListener('allauth.error', function (event) {
    const status = document.getElementById('webauthn-status')
    if (status) {
      event.preventDefault()
      status.textContent = 'The security key did not work (' + event.detail.exception.message + '). Try again, or use a code.'
    }
  })
})()
